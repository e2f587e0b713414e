// Components rendered to markup in Node (no browser): what they put on the page for hostile log
// text and for the states they are given. Behaviour in a real page is covered by test/e2e.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FieldValue } from './FieldValue.tsx';
import { Markdown } from './Markdown.tsx';
import { CaseDialog, folderOf } from '../features/cases/CaseDialog.tsx';
import { CellMenu } from '../features/logs/CellMenu.tsx';
import type { StoredEvent } from '../../../shared/contract.ts';

const HOSTILE = '<img src=x onerror=alert(1)>\u202Egnp.exe\u001b[31m';

describe('FieldValue', () => {
  it('renders log text as text, controls and bidi overrides visible, with its three actions', () => {
    const html = renderToStaticMarkup(<FieldValue field="actor" value={HOSTILE} />);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;⟨U+202E⟩gnp.exe␛[31m');
    expect(html).toContain('aria-label="Filter for actor"');
    expect(html).toContain('aria-label="Filter out actor"');
    expect(html).toContain('aria-label="Copy actor"');
  });
});

describe('CaseDialog', () => {
  it('proposes a new case beside the current one, and an empty path for opening', () => {
    const create = renderToStaticMarkup(
      <CaseDialog mode="create" current="/cases/incident-7.auditscope" onClose={() => undefined} />,
    );
    expect(create).toContain('value="/cases/new-case.auditscope"');
    expect(create).toContain('aria-label="New case"');
    const open = renderToStaticMarkup(
      <CaseDialog mode="open" current={'C:\\cases\\a.auditscope'} onClose={() => undefined} />,
    );
    expect(open).toContain('value="C:\\cases\\"');
    expect(folderOf(undefined)).toBe('');
    expect(folderOf('relative.auditscope')).toBe('');
  });
});

describe('CellMenu', () => {
  const event = { seq: 1, action: 'login' } as unknown as StoredEvent;
  it('offers copy and filters for a field cell, with the value shown as text', () => {
    const html = renderToStaticMarkup(
      <CellMenu
        target={{ x: 0, y: 0, event, field: 'actor', label: 'Actor', value: HOSTILE }}
        onClose={() => undefined}
      />,
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('Copy actor');
    expect(html).toContain('Filter for this actor');
    expect(html).toContain('Filter out this actor');
  });

  it('offers no filters for the time cell, and no value actions for an empty cell', () => {
    const time = renderToStaticMarkup(
      <CellMenu
        target={{ x: 0, y: 0, event, label: 'Time', value: '2024-01-01' }}
        onClose={() => undefined}
      />,
    );
    expect(time).not.toContain('Filter for');
    const empty = renderToStaticMarkup(
      <CellMenu
        target={{ x: 0, y: 0, event, field: 'ip', label: 'IP', value: undefined }}
        onClose={() => undefined}
      />,
    );
    expect(empty).toMatch(/<button[^>]*disabled=""[^>]*>Copy ip/);
  });
});

describe('Markdown', () => {
  it('renders the note dialect as elements: raw HTML as text, unsafe links as text, controls visible', () => {
    const html = renderToStaticMarkup(
      <Markdown
        text={[
          '## Finding',
          `**Bold** and _em_ and \`code ${HOSTILE}\``,
          `<script>alert(1)</script> ${HOSTILE}`,
          '- one',
          '- [site](https://example.com/a?b=1) [bad](javascript:alert(2)) [file](file:///etc/passwd)',
          '![pic](https://evil.example/x.png)',
          '```',
          '</pre><img src=y>',
          '```',
        ].join('\n')}
      />,
    );
    expect(html).toContain('<h2>Finding</h2>');
    expect(html).toContain('<strong>Bold</strong>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<li>');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('⟨U+202E⟩gnp.exe␛[31m');
    expect(html).toContain(
      '<a href="https://example.com/a?b=1" target="_blank" rel="noreferrer noopener">site</a>',
    );
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toContain('href="file:');
    expect(html).toContain('[image: pic]');
    expect(html).toContain('<pre><code>&lt;/pre&gt;&lt;img src=y&gt;');
  });
});
