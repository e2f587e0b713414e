import type { ReactNode } from 'react';
import { markdown } from '../../../shared/lib/markdown.ts';
import { cellText } from '../lib/format.ts';

type Token = ReturnType<typeof markdown.parse>[number];

/** The elements a note can make; anything else the parser produces is rendered as a span. */
const TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'em',
  'strong',
  's',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'a',
]);

interface Frame {
  tag: string;
  href?: string;
  children: ReactNode[];
}

function element(frame: Frame, key: number): ReactNode {
  const tag = TAGS.has(frame.tag) ? frame.tag : 'span';
  if (tag === 'a')
    return (
      <a key={key} href={frame.href} target="_blank" rel="noreferrer noopener">
        {frame.children}
      </a>
    );
  const Tag = tag as 'p';
  return <Tag key={key}>{frame.children}</Tag>;
}

/**
 * Builds React elements from markdown-it's tokens (the same dialect reports use), never HTML
 * text: raw HTML in a note is text, every text run has its controls made visible, links keep only
 * the targets markdown-it validated (http, https, mailto), images are shown as their alt text.
 */
function render(tokens: readonly Token[]): ReactNode[] {
  const root: Frame = { tag: 'div', children: [] };
  const stack: Frame[] = [root];
  let key = 0;
  const top = (): Frame => stack[stack.length - 1] as Frame;
  const walk = (list: readonly Token[]): void => {
    for (const token of list) {
      if (token.nesting === 1) {
        stack.push({ tag: token.tag, href: token.attrGet('href') ?? undefined, children: [] });
      } else if (token.nesting === -1) {
        const frame = stack.pop() as Frame;
        top().children.push(element(frame, key++));
      } else if (token.type === 'inline') {
        walk(token.children ?? []);
      } else if (token.type === 'text') {
        top().children.push(cellText(token.content));
      } else if (token.type === 'code_inline') {
        top().children.push(<code key={key++}>{cellText(token.content)}</code>);
      } else if (token.type === 'fence' || token.type === 'code_block') {
        top().children.push(
          <pre key={key++}>
            <code>{cellText(token.content)}</code>
          </pre>,
        );
      } else if (token.type === 'softbreak' || token.type === 'hardbreak') {
        top().children.push(<br key={key++} />);
      } else if (token.type === 'hr') {
        top().children.push(<hr key={key++} />);
      } else if (token.type === 'image') {
        top().children.push(`[image: ${cellText(token.content)}]`);
      } else if (token.content) {
        top().children.push(cellText(token.content));
      }
    }
  };
  walk(tokens);
  return root.children;
}

/** A note's Markdown, rendered as elements (never as HTML). */
export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>{render(markdown.parse(text, {}))}</div>
  );
}
