/* global window, document, location, KeyboardEvent */
// The harness's stand-in for VS Code: acquireVsCodeApi (state + postMessage), the host's replies
// (fixture messages fetched from the harness server), and a timer around every animation frame,
// where the panels render.
(() => {
  const params = new URLSearchParams(location.search);
  const kind = document.body.dataset.panel;
  const TYPED = { Uint8Array, Float32Array };
  const decode = (text) =>
    JSON.parse(text, (_k, v) => {
      if (!v || typeof v !== 'object' || !v.$typed) return v;
      const bytes = Uint8Array.from(atob(v.b64), (c) => c.charCodeAt(0));
      return new TYPED[v.$typed](bytes.buffer);
    });
  const get = async (path) => decode(await (await fetch(path)).text());
  const deliver = (data) => window.dispatchEvent(new MessageEvent('message', { data }));
  const frames = [];
  // Headless Chromium under virtual time paints rarely; ?frames=timers runs frame callbacks on
  // timers instead, so every render is timed (the render's own cost does not depend on it).
  const raf =
    params.get('frames') === 'timers'
      ? (cb) => setTimeout(() => cb(performance.now()), 0)
      : window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) =>
    raf((ts) => {
      const t0 = performance.now();
      cb(ts);
      const points = Number(document.querySelector('#loss-chart-container')?.dataset.points ?? 0);
      frames.push({ ms: performance.now() - t0, points });
    });
  const finish = () => {
    const late = frames
      .filter((f) => f.points >= 2000)
      .map((f) => f.ms)
      .sort((a, b) => a - b);
    document.body.dataset.harnessFrames = JSON.stringify({
      frames: frames.length,
      latePoints: late.length,
      lateMedianMs: late[Math.floor(late.length / 2)] ?? null,
      lateMaxMs: late.at(-1) ?? null,
    });
    // Reported a little later, once the pages the panel asked for have arrived and been drawn.
    const captions = () =>
      [...document.querySelectorAll('#misclassified figcaption')].filter((c) => c.textContent.includes('→')).length;
    if (params.get('report'))
      setTimeout(
        () =>
          fetch('/api/report', {
            method: 'POST',
            body: JSON.stringify({ ...JSON.parse(document.body.dataset.harnessFrames), captionedMistakes: captions() }),
          }),
        2000,
      );
    if (params.get('switch')) {
      document.body.classList.toggle('vscode-dark');
      document.body.classList.toggle('vscode-light');
    }
    setTimeout(() => (document.body.dataset.harnessDone = '1'), 300);
  };
  let state = params.get('state') ? JSON.parse(params.get('state')) : undefined;
  const posted = (window.__posted = []);
  const replay = async () => {
    if (kind === 'dashboard') {
      const { snapshot, events } = await get(`/api/dashboard?validation=${params.get('validation') ?? '1'}`);
      deliver(snapshot);
      const stopAt = Number(params.get('events') ?? events.length);
      for (const event of events.slice(0, stopAt)) {
        deliver(event);
        await new Promise((r) => setTimeout(r, 16));
      }
    } else if (kind === 'tensor') {
      deliver(
        await get(
          `/api/tensor?name=${encodeURIComponent(params.get('tensor') ?? 'softmax/kernel')}${params.get('slice') ? `&slice=${params.get('slice')}` : ''}`,
        ),
      );
    } else if (kind === 'dataset') {
      deliver(await get(`/api/datasetInfo?predictions=${params.get('predictions') ?? '0'}`));
    } else if (kind === 'prediction') {
      deliver(await get(`/api/prediction?nomodel=${params.get('nomodel') ?? '0'}&index=${params.get('index') ?? '0'}`));
    }
    await new Promise((r) => setTimeout(r, 500));
    // ?keys=ArrowDown,Enter presses keys on the focused (else the first) sample or the heatmap.
    for (const key of (params.get('keys') ?? '').split(',').filter(Boolean)) {
      const target =
        document.activeElement?.closest('.sample, canvas') ?? document.querySelector('.sample, #tensor-heatmap');
      target?.focus();
      target?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      await new Promise((r) => setTimeout(r, 100));
    }
    finish();
  };
  window.acquireVsCodeApi = () => ({
    getState: () => state,
    setState: (s) => (state = s),
    postMessage: (message) => {
      posted.push(message);
      if (message.type === 'ready') replay();
      else if (message.type === 'requestSamples')
        get(`/api/samples?split=${message.split}&start=${message.start}&count=${message.count}`).then(deliver);
      else if (message.type === 'requestTensor')
        get(`/api/tensor?name=${encodeURIComponent(message.tensor.name)}&slice=${message.sliceIndex}`).then(deliver);
    },
  });
})();
