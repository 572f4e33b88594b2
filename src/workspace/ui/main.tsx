/** The agent workspace's page: mounted on #root of the HTML that adapters/agent-console/workspace-page.ts serves. */
import './workspace.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
