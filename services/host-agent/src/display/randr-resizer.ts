import { pcall, type ScreenResources, type XConnection } from '../x11/x-connection';

export type ScreenSize = Readonly<{ width: number; height: number }>;

/** Clamp and round a requested size to what the framebuffer allows (even numbers, ≥ 320×200). */
export const clampSize = (req: ScreenSize, max: ScreenSize): ScreenSize => ({
  width: Math.max(320, Math.min(max.width, Math.round(req.width / 2) * 2)),
  height: Math.max(200, Math.min(max.height, Math.round(req.height / 2) * 2)),
});

/**
 * Resizes the X screen through RANDR. Xvfb (21.x) exposes one CRTC and one output; the largest
 * size is the framebuffer Xvfb was started with, so the agent starts Xvfb at `maxWidth×maxHeight`
 * and shrinks it here. A new mode is created per size; the CRTC is disabled, the screen size
 * changed and the CRTC re-enabled with the new mode (a bigger CRTC than the screen is a BadMatch).
 * Measured: 2–4 ms per resize (docs/host-agent.md).
 */
export const resizeScreen = async (x: XConnection, size: ScreenSize): Promise<ScreenSize> => {
  const R = await x.randr();
  const root = x.root;
  const range = await pcall<{ maxWidth: number; maxHeight: number }>((cb) => R.GetScreenSizeRange(root, cb));
  const target = clampSize(size, { width: range.maxWidth, height: range.maxHeight });
  const res = await pcall<ScreenResources>((cb) => R.GetScreenResources(root, cb));
  const crtc = res.crtcs[0];
  const output = res.outputs[0];
  if (crtc === undefined || output === undefined) throw new Error('RANDR: no CRTC/output on this screen');
  const name = `${target.width}x${target.height}`;
  let modeId = res.modeinfos.find((m) => m.width === target.width && m.height === target.height)?.id;
  if (modeId === undefined) {
    const w = target.width;
    const h = target.height;
    modeId = await pcall<number>((cb) =>
      R.CreateMode(
        root,
        {
          width: w,
          height: h,
          name,
          dot_clock: w * h * 60,
          h_total: w,
          v_total: h,
          h_sync_start: w,
          h_sync_end: w,
          v_sync_start: h,
          v_sync_end: h,
        },
        cb,
      ),
    );
    R.AddOutputMode(output, modeId);
  }
  await pcall<{ status: number }>((cb) => R.SetCrtcConfig(crtc, 0, res.config_timestamp, 0, 0, 0, 1, [], cb));
  R.SetScreenSize(
    root,
    target.width,
    target.height,
    Math.round(target.width * 0.2646),
    Math.round(target.height * 0.2646),
  );
  const r = await pcall<{ status: number }>((cb) =>
    R.SetCrtcConfig(crtc, 0, res.config_timestamp, 0, 0, modeId, 1, [output], cb),
  );
  if (r.status !== 0) throw new Error(`RANDR SetCrtcConfig failed with status ${r.status}`);
  const g = await x.geometry();
  if (g.width !== target.width || g.height !== target.height)
    throw new Error(`RANDR resize to ${name} left the screen at ${g.width}x${g.height}`);
  return target;
};
