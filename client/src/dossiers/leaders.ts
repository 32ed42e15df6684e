// Entry point of the leaders' performance page (/leaders).
import { mount } from 'svelte'
import LeadersPage from './LeadersPage.svelte'
// leaders.css imports the office pages' page.css first, so its own rules (print above all) come after them
import './leaders.css'

mount(LeadersPage, { target: document.getElementById('page')! })
