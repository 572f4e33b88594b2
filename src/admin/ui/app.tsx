/**
 * The admin pages' frame: the top bar with Parley's mark and the navigation between the pages admins use (the inbox,
 * the report, the data requests, the studio), the current one marked for screen readers, and the page for this path.
 */
import { Button } from 'react-aria-components';
import { Logo } from '../../ui/logo.tsx';
import { ArticlePage } from './article-page.tsx';
import { PrivacyPage } from './privacy-page.tsx';
import { ReportPage } from './report-page.tsx';

const NAV = [
  { href: '/agent', label: 'Inbox' },
  { href: '/admin/report', label: 'Report' },
  { href: '/admin/privacy', label: 'Data requests' },
  { href: '/studio', label: 'Studio' },
] as const;

function page(path: string) {
  if (path === '/admin/report/article') return { title: 'New article', section: '/admin/report', body: <ArticlePage /> };
  if (path === '/admin/privacy') return { title: 'Data requests', section: '/admin/privacy', body: <PrivacyPage /> };
  return { title: 'Report', section: '/admin/report', body: <ReportPage /> };
}

async function signOut(): Promise<void> {
  await fetch('/agent/logout', { method: 'POST' });
  window.location.assign('/agent/login');
}

export function AdminApp({ path }: { path: string }) {
  const { title, section, body } = page(path);
  return (
    <div className="admin">
      <header className="topbar">
        <div className="brand"><Logo />Parley <span className="brand-sub">{title}</span></div>
        <nav aria-label="Parley" className="nav">
          {NAV.map((item) => (
            <a key={item.href} href={item.href} className="nav-link" {...(item.href === section ? { 'aria-current': 'page' as const } : {})}>{item.label}</a>
          ))}
        </nav>
        <Button className="button quiet" onPress={() => void signOut()}>Sign out</Button>
      </header>
      <main className="admin-main">{body}</main>
    </div>
  );
}
