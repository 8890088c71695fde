import { gst, type GstAppSink, type GstPipeline } from '../gst/gst';
import type { MediaSink } from '../media/media-output';

/** The capture pipeline: the null sink's monitor → 48 kHz stereo → Opus, 20 ms packets, DTX. */
export const audioPipelineDescription = (pulseServer: string, device: string, bitrate: number): string =>
  [
    `pulsesrc server=${pulseServer} device=${device} do-timestamp=true buffer-time=40000 latency-time=10000`,
    'audio/x-raw,rate=48000,channels=2',
    'audioconvert',
    'audioresample',
    `opusenc frame-size=20 bitrate=${bitrate} dtx=true audio-type=restricted-lowdelay`,
    'appsink name=sink sync=false max-buffers=50',
  ].join(' ! ');

/** Opus packets this small are DTX/silence frames: nothing is sent for them. */
export const SILENCE_PACKET_MAX = 3;

/**
 * Desktop audio: PulseAudio's null sink (`bpane`) monitor encoded to Opus in-process (GStreamer),
 * one `audio-frame` output per 20 ms packet. Silence (DTX packets) is not sent, so an idle
 * runtime costs nothing on the wire.
 */
export class AudioCapture {
  private readonly pipeline: GstPipeline;
  private readonly sink: GstAppSink;
  private stopped = false;
  private seq = 0;
  private readonly t0 = performance.now();
  frames = 0;
  silent = 0;

  constructor(
    pulseServer: string,
    private readonly out: MediaSink,
    opts: { device?: string; bitrate?: number } = {},
  ) {
    this.pipeline = new (gst().Pipeline)(
      audioPipelineDescription(pulseServer, opts.device ?? 'bpane.monitor', opts.bitrate ?? 64000),
    );
    this.sink = this.pipeline.findChild<GstAppSink>('sink');
    this.pipeline.play();
    this.pull();
  }

  private pull(): void {
    if (this.stopped) return;
    this.sink.pull((buf) => {
      if (this.stopped || !buf) return;
      if (buf.length <= SILENCE_PACKET_MAX) this.silent++;
      else {
        this.frames++;
        this.out.emit({
          kind: 'audio-frame',
          seq: this.seq++,
          ptsUs: Math.round((performance.now() - this.t0) * 1000),
          codec: 'opus',
          sampleRate: 48000,
          channels: 2,
          durationUs: 20000,
          data: new Uint8Array(buf),
        });
      }
      this.pull();
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.pipeline.stop();
  }
}
