/** The admin pages (the report, a gap's new article, the data requests): mounted on #root of the HTML that src/server/admin-pages.ts serves. */
import './admin.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminApp } from './app.tsx';

createRoot(document.getElementById('root')!).render(<StrictMode><AdminApp path={window.location.pathname} /></StrictMode>);
