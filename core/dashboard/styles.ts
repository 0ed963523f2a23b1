/**
 * The dashboard's stylesheet, inline in the page (no build step, no asset route). System fonts, a 4.5:1
 * contrast or better for every text colour on its background (WCAG AA), status shown by word and colour,
 * never colour alone; one column on a phone, a grid from laptop width.
 */
export const DASHBOARD_CSS = `
:root{--bg:#f5f6f8;--card:#fff;--ink:#1b1f24;--muted:#57606a;--line:#d8dee4;--accent:#0b5cad;--accent-ink:#fff;
--ok:#1a7f37;--ok-bg:#dafbe1;--warn:#8a5a00;--warn-bg:#fff4d4;--bad:#b42318;--bad-bg:#ffe4e0;--bar:#b6d4f2;--bar-dark:#0b5cad}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}a:focus-visible,button:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
header.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:.8rem 1.5rem;background:#12263f;color:#fff;flex-wrap:wrap}
header.top h1{font-size:1.15rem;margin:0;font-weight:600}header.top .sub{color:#c9d4e2;font-size:.85rem}
header.top a,header.top button.link{color:#fff}
.tenant-picker{display:flex;gap:.4rem;align-items:center;font-size:.9rem}.tenant-picker select{font:inherit;padding:.3rem .4rem;border-radius:6px;max-width:18rem}
.who{display:flex;gap:.8rem;align-items:center;font-size:.9rem}
main{max-width:1280px;margin:0 auto;padding:1.2rem 1.5rem 3rem}
.flash{padding:.7rem 1rem;border-radius:8px;margin-bottom:1rem;border:1px solid}
.flash.ok{background:var(--ok-bg);border-color:#9bd3a8;color:#0f5323}.flash.bad{background:var(--bad-bg);border-color:#f1a79d;color:#7a1a10}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.8rem;margin-bottom:1.2rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem}
.card .label{color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
.card .figure{font-size:1.6rem;font-weight:650;margin-top:.2rem}
.grid{display:grid;grid-template-columns:repeat(12,1fr);gap:1rem}
section.panel{grid-column:span 12;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.2rem;min-width:0}
@media (min-width:1000px){section.half{grid-column:span 6}section.wide{grid-column:span 7}section.narrow{grid-column:span 5}}
section.panel h2{font-size:1.05rem;margin:0 0 .2rem}section.panel p.hint{margin:0 0 .8rem;color:var(--muted);font-size:.88rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.78rem;font-weight:600;border:1px solid}
.badge.ok{color:var(--ok);background:var(--ok-bg);border-color:#9bd3a8}.badge.warn{color:var(--warn);background:var(--warn-bg);border-color:#e7c66b}
.badge.bad{color:var(--bad);background:var(--bad-bg);border-color:#f1a79d}.badge.neutral{color:var(--muted);background:#eef1f4;border-color:var(--line)}
.chart{width:100%;height:auto;max-width:640px;display:block}
.chart-label{font-size:12px;fill:var(--ink)}.chart-value{font-size:12px;fill:var(--muted)}
.bar-value{fill:var(--bar)}.bar-weighted{fill:var(--bar-dark)}
.bar-ok{fill:var(--ok)}.bar-warn{fill:#c98a00}.bar-bad{fill:var(--bad)}.bar-running{fill:#8c959f}
.runs-chart{max-width:320px;margin:.2rem 0 .8rem}
.legend{display:flex;gap:1rem;font-size:.82rem;color:var(--muted);margin:.4rem 0}
.legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
.time-left{width:120px;height:8px;display:block;margin-top:.3rem}.track{fill:#e6e9ed}.fill-ok{fill:var(--accent)}.fill-urgent{fill:var(--bad)}
.conflict{border:1px solid var(--line);border-radius:8px;padding:.7rem .8rem;margin-bottom:.8rem}
.conflict h3{font-size:.95rem;margin:0 0 .4rem}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin-top:.6rem}
button{font:inherit;font-size:.88rem;padding:.4rem .85rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-ink);cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}
button.link{background:none;border:0;padding:0;text-decoration:underline;cursor:pointer}
button[disabled]{opacity:.6;cursor:progress}
.muted{color:var(--muted)}.empty{color:var(--muted);font-style:italic;margin:.3rem 0}
.signin-note{font-size:.85rem;color:var(--muted);margin-top:.4rem}
code{font-size:.85em;background:#eef1f4;padding:.05rem .3rem;border-radius:4px}
@media (max-width:640px){main{padding:1rem .8rem}header.top{padding:.7rem .8rem}.card .figure{font-size:1.3rem}th,td{padding:.4rem .35rem}}
`;
