// Entry point of the operations wall.
import { mount } from 'svelte'
import App from './App.svelte'
import './wall.css'

mount(App, { target: document.getElementById('wall')! })
