import { type BrowserPosture } from './protocol';

/**
 * What a run or session is waiting for from the operator. Form-only kinds are answered through
 * the API / admin console; `host_browser_required` means the operator must act in the visible
 * browser window on their own desktop (login, second factor, a challenge page), after which the
 * runtime continues on its own.
 */
export type FormInteractionKind = 'credentials' | 'otp';
export type InteractionKind = FormInteractionKind | 'host_browser_required';

export const INTERACTION_KINDS: readonly InteractionKind[] = ['credentials', 'otp', 'host_browser_required'];

export const isFormInteraction = (kind: InteractionKind): kind is FormInteractionKind =>
  kind === 'credentials' || kind === 'otp';

export type HostBrowserRequiredInteraction = Readonly<{
  kind: 'host_browser_required';
  /** Profile name of the bridge the operator has to look at. */
  profile: string;
  posture: BrowserPosture;
  /** Short operator-facing instruction, e.g. "Sign in to example.com in the host browser window". */
  prompt: string;
  /** Page the runtime had open when it asked, so the console can name it. */
  pageUrl?: string;
}>;

export type FormInteraction = Readonly<{
  kind: FormInteractionKind;
  prompt: string;
}>;

export type Interaction = HostBrowserRequiredInteraction | FormInteraction;

/**
 * The trust posture a run records once, at browser acquisition, so the run / session can store it
 * and the console can show `daily_chrome` as a non-default posture.
 */
export type BrowserPostureRecord = Readonly<{
  source: 'host_bridge' | 'isolated';
  posture: BrowserPosture | 'isolated';
  profile?: string;
  /** True for every posture other than the defaults; the console renders these loudly. */
  nonDefault: boolean;
}>;

export const postureRecord = (posture: BrowserPosture, profile: string): BrowserPostureRecord => ({
  source: 'host_bridge',
  posture,
  profile,
  nonDefault: posture === 'daily_chrome',
});

export const ISOLATED_POSTURE: BrowserPostureRecord = {
  source: 'isolated',
  posture: 'isolated',
  nonDefault: false,
};
