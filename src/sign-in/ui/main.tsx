/** The sign-in page: mounted on #root of the HTML that adapters/agent-console/routes.ts serves at /agent/login. */
import './sign-in.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SignInPage } from './sign-in-page.tsx';

createRoot(document.getElementById('root')!).render(<StrictMode><SignInPage /></StrictMode>);
