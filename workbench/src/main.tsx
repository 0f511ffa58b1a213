/**
 * Entry point of the workbench page.
 * @module
 */
import { render } from 'preact';
import { App } from './app.js';
import './style.css';

render(<App />, document.getElementById('app')!);
