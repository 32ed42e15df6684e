// Entry point of the admin page.
import { mount } from 'svelte'
import AdminPage from './AdminPage.svelte'
import './page.css'
import './admin.css'

mount(AdminPage, { target: document.getElementById('page')! })
