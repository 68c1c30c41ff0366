// The episode player: steps an environment on the server with random actions or a saved policy's
// (`predict`), drawing each step on the canvas.
import { canDraw, drawEnv, drawMessage } from './render.js';
import { $, errorText, fmt, sleep } from './util.js';

export class EpisodePlayer {
  constructor({ getClient }) {
    this.getClient = getClient;
    this.canvas = $('env-canvas');
    /** The episode playing, if any: `{ stopped }`. */
    this.current = null;
    $('watch-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.play();
    });
    $('watch-stop').addEventListener('click', () => this.stop());
    drawMessage(this.canvas, 'Connecting…');
    this.setControls();
  }

  /** Offers random actions and the models of the chosen environment as policies. */
  fillPolicies(models, select) {
    const envId = $('watch-env').value;
    const policy = $('watch-policy');
    const current = select ?? policy.value;
    const options = [new Option('Random actions', '')];
    for (const m of models) if (m.env_id === envId) options.push(new Option(`Model ${m.name}`, m.name));
    policy.replaceChildren(...options);
    policy.value = options.some((o) => o.value === current) ? current : '';
  }

  drawPreview() {
    if (this.current) return;
    const envId = $('watch-env').value;
    drawMessage(this.canvas, envId ? `${envId}${canDraw(envId) ? '' : ' (drawn as bars)'} — press Play episode` : 'No environments');
  }

  setControls() {
    const playing = Boolean(this.current);
    $('watch-play').disabled = playing || !this.getClient()?.open;
    $('watch-stop').disabled = !playing;
    $('watch-env').disabled = playing;
    $('watch-policy').disabled = playing;
    $('watch-seed').disabled = playing;
  }

  stop() {
    if (this.current) this.current.stopped = true;
  }

  async play() {
    const client = this.getClient();
    if (this.current || !client?.open) return;
    const run = { stopped: false };
    this.current = run;
    this.setControls();
    const envId = $('watch-env').value;
    const model = $('watch-policy').value;
    // An empty seed field leaves the reset unseeded; a seed replays the same episode (terrain, push, and a deterministic policy's actions).
    const seedText = $('watch-seed').value.trim();
    const seed = seedText === '' ? undefined : Number(seedText);
    const canvas = this.canvas;
    let env = null;
    let steps = 0;
    let total = 0;
    const show = (k, v) => ($(k).textContent = v);
    try {
      env = await client.make(envId);
      let [obs] = await env.reset(seed === undefined ? {} : { seed });
      canvas.dataset.steps = '0';
      show('watch-step', '0');
      show('watch-return', '0');
      show('watch-action', '–');
      show('watch-reward', '–');
      show('watch-state', `${model ? `playing model ${model}` : 'playing random actions'}${seed === undefined ? '' : ` from seed ${seed}`}`);
      drawEnv(canvas, obs, { envId });
      for (;;) {
        if (run.stopped) {
          show('watch-state', 'stopped');
          break;
        }
        const action = model ? (await client.predict(model, env.observationSpace.encode(obs), { deterministic: true })).action : env.actionSpace.sample();
        const [next, reward, terminated, truncated] = await env.step(action);
        obs = next;
        steps++;
        total += reward;
        drawEnv(canvas, obs, { envId, action });
        canvas.dataset.steps = String(steps);
        show('watch-step', String(steps));
        show('watch-return', fmt(total, Number.isInteger(total) ? 0 : 2));
        show('watch-reward', fmt(reward, Number.isInteger(reward) ? 0 : 2));
        show('watch-action', JSON.stringify(action, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? +v.toFixed(3) : v)));
        if (terminated || truncated) {
          show('watch-state', terminated ? `terminated after ${steps} steps` : `truncated at the ${steps}-step limit`);
          break;
        }
        await sleep(1000 / Number($('watch-speed').value));
      }
    } catch (err) {
      show('watch-state', `failed: ${errorText(err)}`);
    } finally {
      env?.close().catch(() => undefined);
      this.current = null;
      this.setControls();
    }
  }
}
