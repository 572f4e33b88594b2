/**
 * Which conversations a tab holds, and the filters applied in the page when the server answered with every open
 * handoff (a server from before the workspace's list): a search there looks at the name, the reason and the preview.
 */
import type { Conversation, Tab } from './api.ts';
import type { Filters } from './conversation-list.tsx';

export function visibleIn(tab: Tab, c: Conversation, meId: string | undefined, filters?: Filters): boolean {
  const inTab = tab === 'waiting' ? c.status === 'waiting'
    : tab === 'mine' ? c.status !== 'resolved' && c.assignee?.id === meId
    : tab === 'open' ? c.status !== 'resolved'
    : c.status === 'resolved';
  if (!inTab || !filters) return inTab;
  if (filters.queue && c.queue !== filters.queue) return false;
  if (filters.channel && c.channel !== filters.channel) return false;
  if (filters.language && (c.language ?? '').split('-')[0] !== filters.language) return false;
  const words = filters.q.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${c.customerName ?? ''} ${c.reason} ${c.preview}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}
