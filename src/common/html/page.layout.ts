import { escapeHtml } from './html.escape';

/**
 * The shell every satgate page shares (login pages and the /oauth/authorize error page): a phone-friendly
 * layout (viewport meta, one column, large tap targets) and inline CSS, so the pages need no JavaScript, no
 * external assets and no build step.
 */

/** A URL the pages may link to or load an image from: absolute http(s) only (never `javascript:` or `data:`). */
export function safeHttpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The hidden CSRF field every form carries (csrf.ts). */
export function csrfField(token: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(token)}">`;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f4f6;color:#1c1c21}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:#fff;border-radius:12px;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.35rem;margin:0 0 1rem}
p{margin:.5rem 0}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=text],input[type=password],input[type=number]{width:100%;padding:.7rem;font-size:1rem;border:1px solid #b8b8c0;border-radius:8px}
button{width:100%;padding:.8rem;margin-top:1rem;font-size:1rem;font-weight:600;border-radius:8px;border:1px solid #4b3fd1;background:#4b3fd1;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#4b3fd1}
button.link{width:auto;padding:0;margin:0;border:0;background:none;color:#4b3fd1;font-weight:400;text-decoration:underline}
.error{background:#fdecec;border:1px solid #e4a0a0;color:#8a1f1f;border-radius:8px;padding:.75rem;margin:0 0 1rem}
.notice{background:#eaf6ec;border:1px solid #9fd0a8;color:#1f5a2a;border-radius:8px;padding:.75rem;margin:0 0 1rem}
.app{display:flex;align-items:center;gap:.75rem;margin-bottom:1rem}
.app img{width:48px;height:48px;border-radius:8px;object-fit:cover;flex:none}
.muted{color:#5c5c66;font-size:.9rem}
ul.scopes{padding-left:1.2rem}
ul.scopes li{margin:.4rem 0}
code{font-size:.85rem;background:#f0f0f3;padding:0 .25rem;border-radius:4px;word-break:break-all}
.row{display:flex;gap:.75rem}
.row form,.row button{flex:1}
.apps{list-style:none;padding:0;margin:0}
.apps li{border-top:1px solid #e5e5ea;padding:1rem 0}
footer{margin-top:1rem;text-align:center}
.budget{background:#f7f6ff;border:1px solid #cfcaf6;border-radius:8px;padding:.75rem;margin:1rem 0}
.budget label{margin-top:.5rem}
.meter{height:.5rem;background:#e5e5ea;border-radius:4px;overflow:hidden;margin:.25rem 0}
.meter span{display:block;height:100%;background:#4b3fd1}
.meter.warn span{background:#d4730f}
.warn-text{color:#8a4a05;font-weight:600}
`;

/** A complete HTML document around `body` (already escaped markup). */
export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · satgate</title>
<style>${CSS}</style>
</head>
<body>
<main>
<div class="card">
${body}
</div>
</main>
</body>
</html>
`;
}
