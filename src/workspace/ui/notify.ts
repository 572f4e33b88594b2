/**
 * Telling the agent about new work while they look elsewhere: a browser notification and a short chime, both only
 * after the agent switched them on (the browser asks for the permission then), and the unread count in the tab's title.
 * The chime can be muted on its own (an open-plan office, a call), keeping the notifications.
 */
const STORAGE_KEY = 'parley.workspace.notifications';
const SOUND_KEY = 'parley.workspace.sound';

export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported';

export function permission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Whether the agent switched alerts on (kept in this browser). */
export function wanted(): boolean {
  return localStorage.getItem(STORAGE_KEY) === 'on';
}

/** Switches alerts on (asking the browser's permission) or off; returns whether they are on now. */
export async function setWanted(on: boolean): Promise<boolean> {
  if (!on) {
    localStorage.setItem(STORAGE_KEY, 'off');
    return false;
  }
  if (permission() === 'default') await Notification.requestPermission();
  localStorage.setItem(STORAGE_KEY, 'on');
  return true;
}

/** Whether the chime plays with the alerts (kept in this browser; on unless the agent muted it). */
export function soundOn(): boolean {
  return localStorage.getItem(SOUND_KEY) !== 'off';
}

export function setSoundOn(on: boolean): boolean {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  return on;
}

let audio: AudioContext | undefined;

/** Two soft tones, made in the page (no sound file to fetch). */
function chime(): void {
  try {
    audio ??= new AudioContext();
    // Made before the agent touched the page, the context starts suspended; it may run once they have.
    if (audio.state === 'suspended') void audio.resume().catch(() => {});
    const start = audio.currentTime;
    for (const [i, frequency] of [660, 880].entries()) {
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.frequency.value = frequency;
      volume.gain.setValueAtTime(0.0001, start + i * 0.14);
      volume.gain.exponentialRampToValueAtTime(0.12, start + i * 0.14 + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.14 + 0.25);
      tone.connect(volume).connect(audio.destination);
      tone.start(start + i * 0.14);
      tone.stop(start + i * 0.14 + 0.3);
    }
  } catch {
    // No audio output: the notification still shows.
  }
}

/**
 * Shows a notification and plays the chime (unless muted), when the agent wants alerts; a click on the notification
 * opens the conversation.
 */
export function alert(title: string, body: string, tag: string, open: () => void): void {
  if (!wanted()) return;
  if (soundOn()) chime();
  if (permission() !== 'granted') return;
  const notification = new Notification(title, { body, tag, icon: '/agent/favicon.svg' });
  notification.addEventListener('click', () => {
    window.focus();
    open();
    notification.close();
  });
}

/** "(3) Parley · Inbox" while there is something unread. */
export function setTitle(unread: number): void {
  document.title = unread > 0 ? `(${unread}) Parley · Inbox` : 'Parley · Inbox';
}
