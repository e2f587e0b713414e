import MarkdownIt from 'markdown-it';

/**
 * The one Markdown dialect of notes, for the page (tokens rendered as React elements) and for
 * reports (HTML). Raw HTML is off, so `<script>` in a note is text; links keep only http(s) and
 * mailto targets; no typographic rewriting, so pasted log lines stay byte-for-byte readable; a line break is one.
 */
export const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });

const SAFE_LINK = /^(https?:|mailto:)/i;
markdown.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());
