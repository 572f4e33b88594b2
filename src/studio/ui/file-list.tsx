/**
 * The files an editor works on, grouped by kind, with a search box; each shows whether it has an unpublished draft
 * and how many problems the checks found. A React Aria list box: arrow keys move, typing jumps, Enter opens.
 */
import { Header, Input, Label, ListBox, ListBoxItem, ListBoxSection, SearchField, type Key } from 'react-aria-components';
import { useMemo, useState } from 'react';
import type { FileEntry } from './api.ts';

const GROUPS: { kind: FileEntry['kind']; title: string }[] = [
  { kind: 'flow', title: 'Flows' },
  { kind: 'test', title: 'Conversation tests' },
  { kind: 'article', title: 'Knowledge articles' },
  { kind: 'faq', title: 'FAQ files' },
];

export function FileList({ files, selected, onOpen }: { files: readonly FileEntry[]; selected: string | undefined; onOpen: (path: string) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = files.filter((file) => words.every((word) => file.path.toLowerCase().includes(word)));
    return GROUPS.map((group) => ({ ...group, files: shown.filter((file) => file.kind === group.kind) })).filter((group) => group.files.length > 0);
  }, [files, query]);
  const open = (keys: 'all' | Set<Key>) => {
    const key = keys === 'all' ? undefined : [...keys][0];
    if (typeof key === 'string') onOpen(key);
  };
  return (
    <nav className="files" aria-label="Files">
      <SearchField className="search" value={query} onChange={setQuery} aria-label="Search files">
        <Label className="visually-hidden">Search files</Label>
        <Input placeholder="Search files…" />
      </SearchField>
      <ListBox
        className="file-list"
        aria-label="Flows, tests and knowledge"
        selectionMode="single"
        disallowEmptySelection
        selectedKeys={selected ? [selected] : []}
        onSelectionChange={open}
        renderEmptyState={() => <p className="empty-note">No file matches “{query}”.</p>}
      >
        {groups.map((group) => (
          <ListBoxSection key={group.kind} className="file-group">
            <Header className="file-group-title">{group.title}</Header>
            {group.files.map((file) => <FileRow key={file.path} file={file} />)}
          </ListBoxSection>
        ))}
      </ListBox>
    </nav>
  );
}

function FileRow({ file }: { file: FileEntry }) {
  const name = file.path.replace(/^(flows|knowledge)\//, '');
  const marks = [
    ...(file.removed ? ['removal drafted'] : file.draft ? ['unpublished draft'] : []),
    ...(file.problems > 0 ? [problemsText(file)] : []),
  ];
  return (
    <ListBoxItem id={file.path} textValue={name} className="file-row" aria-label={[name, ...marks].join(', ')}>
      <span className={`file-name${file.removed ? ' removed' : ''}`} title={file.path}>{name}</span>
      {file.draft ? <span className="draft-dot" title={file.removed ? 'Removal drafted' : 'Unpublished draft'} aria-hidden="true" /> : null}
      {file.problems > 0 ? <span className={`problem-count${file.errors > 0 ? '' : ' warnings-only'}`} title={problemsText(file)} aria-hidden="true">{file.problems}</span> : null}
    </ListBoxItem>
  );
}

/** `2 problems` when any is an error, `3 warnings` when none is: warnings do not stop a publish. */
function problemsText(file: FileEntry): string {
  const n = file.problems;
  return file.errors > 0 ? `${n} problem${n === 1 ? '' : 's'}` : `${n} warning${n === 1 ? '' : 's'}`;
}
