/** The plain HTML shell of console pages: no framework, no external assets. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem; }
  nav a { margin-right: 1rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; }
  .error { color: #a40000; }
  label { display: block; margin: .5rem 0; }
  .notice { background: #eef6ee; border: 1px solid #9c9; padding: .5rem; }
  nav { margin-bottom: 1rem; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · ml-connector</title>
  <style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>`;
}
