// The <head> shared by report.html and compare.html: a Content Security Policy that pins the
// inline style (and script, if any) by hash and forbids every fetch, so neither page can reach
// the network and markup that slipped through escaping could not run.
import { createHash } from 'node:crypto';
import { escapeHtml } from './html-checks.js';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** `<!DOCTYPE html>` through `</head>`, one line each; without `script`, scripts are forbidden. */
export function pageHead(title: string, style: string, script?: string): string[] {
  const csp = [
    "default-src 'none'",
    `style-src ${sha256(style)}`,
    `script-src ${script === undefined ? "'none'" : sha256(script)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Built only from constants and base64 hashes, so it needs no escaping.
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="kube-assay">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
  ];
}
