// Entry point of the citizen-report consoles (/reports): the dispatcher's queue and the agency's inbox, one
// page that shows what the signed-in principal may do. It never loads MapLibre: its map is a light SVG.
import { mount } from 'svelte'
import ReportsPage from './ReportsPage.svelte'
// reports.css imports the office pages' page.css first, so its own rules come after them
import './reports.css'

mount(ReportsPage, { target: document.getElementById('page')! })
