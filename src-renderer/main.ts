import { mount } from 'svelte';
import App from './App.svelte';
import PrintReport from './print/PrintReport.svelte';
import { printRequest } from '../src-shared/print-request.ts';
import './app.css';

// ?print=RECORD_ID opens the one-page report instead of the app (print view: browser print, Electron printToPDF).
const target = document.getElementById('app')!;
let request;
try {
  request = printRequest(location.search);
} catch (e) {
  target.textContent = (e as Error).message;
}
if (request) mount(PrintReport, { target, props: { request } });
else if (!target.textContent) mount(App, { target });
