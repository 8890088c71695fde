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

/** A page whose whole viewport is one animated canvas; `window.stopAnimation()` stops it. */
export const fullscreenCanvasPage = (): string =>
  dataUrl(`<!doctype html><html><body style="margin:0;overflow:hidden;background:#000">
<canvas id="c" style="display:block;width:100vw;height:100vh"></canvas>
<script>
const c = document.getElementById('c'); c.width = innerWidth; c.height = innerHeight;
const g = c.getContext('2d');
let t = 0, running = true;
window.stopAnimation = () => { running = false; };
function frame() {
  if (!running) return;
  t++;
  const grd = g.createRadialGradient(c.width / 2, c.height / 2, 10, c.width / 2 + Math.cos(t / 30) * 200, c.height / 2, c.width);
  grd.addColorStop(0, 'hsl(' + (t * 2 % 360) + ',80%,60%)');
  grd.addColorStop(1, 'hsl(' + ((t * 2 + 120) % 360) + ',60%,20%)');
  g.fillStyle = grd; g.fillRect(0, 0, c.width, c.height);
  for (let i = 0; i < 30; i++) {
    g.fillStyle = 'hsla(' + (i * 12) + ',90%,70%,0.8)';
    g.fillRect((Math.sin(t / 25 + i) * 0.45 + 0.5) * c.width, (Math.cos(t / 35 + i * 1.7) * 0.45 + 0.5) * c.height, 40, 40);
  }
  requestAnimationFrame(frame);
}
frame();
</script></body></html>`);

/** A text editor page: a large focused textarea on a white page. */
export const editorPage = (): string =>
  dataUrl(`<!doctype html><html><body style="margin:16px;font:15px 'DejaVu Sans',sans-serif;background:#fff">
<h2>Notes</h2>
<textarea id="t" style="width:1180px;height:500px;font:15px/1.4 'DejaVu Sans Mono',monospace" autofocus></textarea>
</body></html>`);
