// Entry point of the sign-in page.
import { mount } from 'svelte'
import SignInPage from './SignInPage.svelte'
import './page.css'

mount(SignInPage, { target: document.getElementById('page')! })
