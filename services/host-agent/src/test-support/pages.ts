/** Test and benchmark pages, as data: URLs (no server needed). */
export const dataUrl = (html: string): string =>
  `data:text/html;base64,${Buffer.from(html).toString('base64')}`;

const words =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(
    ' ',
  );

/** Deterministic paragraphs of text (different on every line, so scrolls are unambiguous). */
export const paragraphs = (n: number): string => {
  const out: string[] = [];
  let s = 7;
  for (let p = 0; p < n; p++) {
    const line: string[] = [];
    for (let w = 0; w < 40; w++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      line.push(words[s % words.length]!);
    }
    out.push(`<p>${p}. ${line.join(' ')}</p>`);
  }
  return out.join('\n');
};

export const textPage = (): string =>
  dataUrl(`<!doctype html><html><body style="margin:16px;font:15px/1.5 'DejaVu Sans',sans-serif;background:#fff;color:#202124">
<h1 style="color:#1a73e8">BrowserPane host agent</h1>
<div style="display:flex;gap:12px;margin:8px 0"><span style="background:#e8f0fe;padding:8px">blue</span><span style="background:#fce8e6;padding:8px">red</span><span style="background:#e6f4ea;padding:8px">green</span></div>
<input id="field" style="font:16px monospace;width:400px" autofocus>
${paragraphs(120)}
</body></html>`);

/** A 640×360 canvas animation in an otherwise static page; `window.stopAnimation()` stops it. */
export const canvasPage = (): string =>
  dataUrl(`<!doctype html><html><body style="margin:16px;font:15px 'DejaVu Sans',sans-serif;background:#fff">
<p>Static text above the animation.</p>
<canvas id="c" width="640" height="360" style="display:block"></canvas>
<p>Static text below the animation.</p>
<script>
const c = document.getElementById('c'), g = c.getContext('2d');
let t = 0, running = true;
window.stopAnimation = () => { running = false; };
function frame() {
  if (!running) return;
  t++;
  const grd = g.createLinearGradient(0, 0, 640, 360);
  grd.addColorStop(0, 'hsl(' + (t * 3 % 360) + ',70%,50%)');
  grd.addColorStop(1, 'hsl(' + ((t * 3 + 180) % 360) + ',70%,50%)');
  g.fillStyle = grd; g.fillRect(0, 0, 640, 360);
  for (let i = 0; i < 12; i++) {
    g.fillStyle = 'rgba(255,255,255,0.7)';
    g.beginPath(); g.arc(320 + Math.cos(t / 20 + i) * 250, 180 + Math.sin(t / 15 + i * 2) * 140, 20 + i * 2, 0, 7); g.fill();
  }
  requestAnimationFrame(frame);
}
frame();
</script></body></html>`);
