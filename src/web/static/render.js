// Drawing an environment's state on a canvas from its observation alone, in the spirit of
// Gymnasium's own pygame renderers: the browser never asks the server for pixels.

const SKY = '#fbfcfe';
const INK = '#1f2937';

/** "CartPole-v1" → "CartPole"; "ns/Name-v0" → "Name". */
export function baseName(envId) {
  return envId.split('/').pop().replace(/-v\d+$/, '');
}

function frame(ctx, width, height) {
  ctx.fillStyle = SKY;
  ctx.fillRect(0, 0, width, height);
}

function label(ctx, text, x, y, align = 'left', color = '#6b7280') {
  ctx.fillStyle = color;
  ctx.font = '13px system-ui, sans-serif';
  ctx.textAlign = align;
  ctx.textBaseline = 'top';
  ctx.fillText(text, x, y);
}

function cartPole(ctx, w, h, obs) {
  const [x, , theta] = obs;
  const worldWidth = 2.4 * 2;
  const scale = w / worldWidth;
  const trackY = h * 0.7;
  const cartX = x * scale + w / 2;
  const cartW = 50;
  const cartH = 30;
  const poleLen = scale * 1.0;
  ctx.strokeStyle = '#9ca3af';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, trackY);
  ctx.lineTo(w, trackY);
  ctx.stroke();
  // The ±2.4 limits beyond which the episode ends.
  ctx.fillStyle = '#fca5a5';
  ctx.fillRect(0, trackY - 4, 3, 8);
  ctx.fillRect(w - 3, trackY - 4, 3, 8);
  ctx.fillStyle = INK;
  ctx.fillRect(cartX - cartW / 2, trackY - cartH / 2, cartW, cartH);
  const axleY = trackY - cartH / 4;
  ctx.strokeStyle = '#ca9865';
  ctx.lineWidth = 10;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(cartX, axleY);
  ctx.lineTo(cartX + Math.sin(theta) * poleLen, axleY - Math.cos(theta) * poleLen);
  ctx.stroke();
  ctx.lineCap = 'butt';
  ctx.fillStyle = '#818cd6';
  ctx.beginPath();
  ctx.arc(cartX, axleY, 5, 0, Math.PI * 2);
  ctx.fill();
}

function mountainCar(ctx, w, h, obs, continuous) {
  const [position] = obs;
  const minX = -1.2;
  const maxX = 0.6;
  const scale = w / (maxX - minX);
  const height = (x) => Math.sin(3 * x) * 0.45 + 0.55;
  const sy = (y) => h - 40 - y * scale * 0.9;
  ctx.strokeStyle = '#4b5563';
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (let i = 0; i <= 100; i++) {
    const x = minX + ((maxX - minX) * i) / 100;
    const px = (x - minX) * scale;
    if (i === 0) ctx.moveTo(px, sy(height(x)));
    else ctx.lineTo(px, sy(height(x)));
  }
  ctx.stroke();
  const goal = continuous ? 0.45 : 0.5;
  const fx = (goal - minX) * scale;
  const fy = sy(height(goal));
  ctx.strokeStyle = INK;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(fx, fy);
  ctx.lineTo(fx, fy - 40);
  ctx.stroke();
  ctx.fillStyle = '#eab308';
  ctx.beginPath();
  ctx.moveTo(fx, fy - 40);
  ctx.lineTo(fx + 25, fy - 33);
  ctx.lineTo(fx, fy - 26);
  ctx.fill();
  const cx = (position - minX) * scale;
  const cy = sy(height(position));
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate(-Math.atan(Math.cos(3 * position) * 0.45 * 3 * 0.9));
  ctx.fillStyle = INK;
  ctx.fillRect(-20, -22, 40, 14);
  ctx.fillStyle = '#6b7280';
  for (const wx of [-12, 12]) {
    ctx.beginPath();
    ctx.arc(wx, -6, 6, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}

function acrobot(ctx, w, h, obs) {
  const [c1, s1, c2, s2] = obs;
  const t1 = Math.atan2(s1, c1);
  const t2 = Math.atan2(s2, c2);
  const scale = Math.min(w, h) / 4.6;
  const ox = w / 2;
  const oy = h / 2;
  // Gymnasium's picture: link 1 hangs down at θ1 = 0; the goal is the tip above the bar at height 1.
  const p1 = [ox + Math.sin(t1) * scale, oy + Math.cos(t1) * scale];
  const p2 = [p1[0] + Math.sin(t1 + t2) * scale, p1[1] + Math.cos(t1 + t2) * scale];
  ctx.strokeStyle = '#9ca3af';
  ctx.lineWidth = 1.5;
  ctx.setLineDash([6, 5]);
  ctx.beginPath();
  ctx.moveTo(ox - 2.2 * scale, oy - scale);
  ctx.lineTo(ox + 2.2 * scale, oy - scale);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.lineCap = 'round';
  ctx.strokeStyle = '#0e7490';
  ctx.lineWidth = 12;
  ctx.beginPath();
  ctx.moveTo(ox, oy);
  ctx.lineTo(p1[0], p1[1]);
  ctx.lineTo(p2[0], p2[1]);
  ctx.stroke();
  ctx.lineCap = 'butt';
  ctx.fillStyle = '#facc15';
  for (const [x, y] of [[ox, oy], p1]) {
    ctx.beginPath();
    ctx.arc(x, y, 5, 0, Math.PI * 2);
    ctx.fill();
  }
}

function pendulum(ctx, w, h, obs, action) {
  const [cos, sin] = obs;
  const theta = Math.atan2(sin, cos);
  const ox = w / 2;
  const oy = h / 2;
  const len = Math.min(w, h) * 0.36;
  // θ = 0 is upright.
  const ex = ox + Math.sin(theta) * len;
  const ey = oy - Math.cos(theta) * len;
  ctx.lineCap = 'round';
  ctx.strokeStyle = '#cc4c4c';
  ctx.lineWidth = 18;
  ctx.beginPath();
  ctx.moveTo(ox, oy);
  ctx.lineTo(ex, ey);
  ctx.stroke();
  ctx.lineCap = 'butt';
  ctx.fillStyle = INK;
  ctx.beginPath();
  ctx.arc(ox, oy, 5, 0, Math.PI * 2);
  ctx.fill();
  const torque = Array.isArray(action) ? action[0] : action;
  if (Number.isFinite(torque) && torque !== 0) {
    // An arc whose length shows the torque applied, as Gymnasium's clockwise/anticlockwise arrow does.
    const r = len * 0.35;
    const span = (Math.abs(torque) / 2) * Math.PI * 0.9;
    ctx.strokeStyle = '#374151';
    ctx.lineWidth = 3;
    ctx.beginPath();
    if (torque > 0) ctx.arc(ox, oy, r, -Math.PI / 2 - span, -Math.PI / 2);
    else ctx.arc(ox, oy, r, -Math.PI / 2, -Math.PI / 2 + span);
    ctx.stroke();
  }
}

const FROZEN_LAKE_MAPS = {
  '4x4': ['SFFF', 'FHFH', 'FFFH', 'HFFG'],
  '8x8': ['SFFFFFFF', 'FFFFFFFF', 'FFFHFFFF', 'FFFFFHFF', 'FFFHFFFF', 'FHHFFFHF', 'FHFFHFHF', 'FFFHFFFG'],
};

function gridGeometry(w, h, rows, cols, top = 10) {
  const cell = Math.floor(Math.min((w - 20) / cols, (h - top - 30) / rows));
  return { cell, x0: Math.floor((w - cell * cols) / 2), y0: top };
}

function agentDot(ctx, x, y, cell, color) {
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(x + cell / 2, y + cell / 2, cell * 0.3, 0, Math.PI * 2);
  ctx.fill();
}

function frozenLake(ctx, w, h, obs, kwargs, envId) {
  const desc = Array.isArray(kwargs?.desc) ? kwargs.desc.map(String) : FROZEN_LAKE_MAPS[kwargs?.map_name ?? (envId.includes('8x8') ? '8x8' : '4x4')];
  const rows = desc.length;
  const cols = desc[0].length;
  const { cell, x0, y0 } = gridGeometry(w, h, rows, cols);
  const state = Number(obs);
  const colors = { S: '#dbeafe', F: '#e0f2fe', H: '#1e3a8a', G: '#fde68a' };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const tile = desc[r][c];
      ctx.fillStyle = colors[tile] ?? '#e5e7eb';
      ctx.fillRect(x0 + c * cell, y0 + r * cell, cell - 2, cell - 2);
      if (tile === 'G' || tile === 'S') label(ctx, tile === 'G' ? 'goal' : 'start', x0 + c * cell + 4, y0 + r * cell + 4);
    }
  }
  agentDot(ctx, x0 + (state % cols) * cell, y0 + Math.floor(state / cols) * cell, cell, '#dc2626');
}

function cliffWalking(ctx, w, h, obs) {
  const rows = 4;
  const cols = 12;
  const { cell, x0, y0 } = gridGeometry(w, h, rows, cols, 60);
  const state = Number(obs);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cliff = r === 3 && c > 0 && c < 11;
      ctx.fillStyle = cliff ? '#78350f' : r === 3 && c === 11 ? '#fde68a' : '#dcfce7';
      ctx.fillRect(x0 + c * cell, y0 + r * cell, cell - 2, cell - 2);
    }
  }
  label(ctx, 'start', x0 + 4, y0 + 3 * cell + 4);
  label(ctx, 'goal', x0 + 11 * cell + 4, y0 + 3 * cell + 4);
  label(ctx, 'cliff', x0 + 6 * cell, y0 + 3 * cell + cell / 2 - 6, 'center', '#fde68a');
  agentDot(ctx, x0 + (state % cols) * cell, y0 + Math.floor(state / cols) * cell, cell, '#2563eb');
}

// Taxi's map: '|' between two cells is a wall.
const TAXI_MAP = ['|R: | : :G|', '| : | : : |', '| : : : : |', '| | : | : |', '|Y| : |B: |'];
const TAXI_LOCS = [
  [0, 0, 'R', '#dc2626'],
  [0, 4, 'G', '#16a34a'],
  [4, 0, 'Y', '#ca8a04'],
  [4, 3, 'B', '#2563eb'],
];

function taxi(ctx, w, h, obs) {
  let s = Number(obs);
  const dest = s % 4;
  s = Math.floor(s / 4);
  const passenger = s % 5;
  s = Math.floor(s / 5);
  const col = s % 5;
  const row = Math.floor(s / 5);
  const { cell, x0, y0 } = gridGeometry(w, h, 5, 5);
  for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) {
    ctx.fillStyle = '#f3f4f6';
    ctx.fillRect(x0 + c * cell, y0 + r * cell, cell - 2, cell - 2);
  }
  for (const [i, [r, c, name, color]] of TAXI_LOCS.entries()) {
    ctx.fillStyle = color + '33';
    ctx.fillRect(x0 + c * cell, y0 + r * cell, cell - 2, cell - 2);
    ctx.fillStyle = color;
    ctx.font = 'bold 16px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(name, x0 + c * cell + 5, y0 + r * cell + 4);
    if (i === dest) {
      ctx.strokeStyle = color;
      ctx.lineWidth = 3;
      ctx.strokeRect(x0 + c * cell + 2, y0 + r * cell + 2, cell - 6, cell - 6);
    }
  }
  ctx.fillStyle = INK;
  for (let r = 0; r < 5; r++) for (let c = 0; c < 4; c++) {
    if (TAXI_MAP[r][2 * c + 2] === '|') ctx.fillRect(x0 + (c + 1) * cell - 4, y0 + r * cell, 5, cell);
  }
  ctx.strokeStyle = INK;
  ctx.lineWidth = 3;
  ctx.strokeRect(x0 - 2, y0 - 2, cell * 5 + 2, cell * 5 + 2);
  const tx = x0 + col * cell;
  const ty = y0 + row * cell;
  ctx.fillStyle = passenger === 4 ? '#16a34a' : '#facc15';
  ctx.fillRect(tx + cell * 0.2, ty + cell * 0.3, cell * 0.56, cell * 0.36);
  ctx.fillStyle = INK;
  ctx.fillRect(tx + cell * 0.3, ty + cell * 0.22, cell * 0.36, cell * 0.1);
  if (passenger < 4) {
    const [r, c, , color] = TAXI_LOCS[passenger];
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.arc(x0 + c * cell + cell * 0.72, y0 + r * cell + cell * 0.72, cell * 0.12, 0, Math.PI * 2);
    ctx.fill();
  }
  label(ctx, passenger === 4 ? 'passenger in the taxi' : `passenger waiting at ${TAXI_LOCS[passenger][2]}`, x0, y0 + 5 * cell + 8);
  label(ctx, `destination ${TAXI_LOCS[dest][2]}`, x0 + 5 * cell, y0 + 5 * cell + 8, 'right');
}

function blackjack(ctx, w, h, obs) {
  const [player, dealer, usable] = Array.isArray(obs) ? obs : [obs];
  ctx.fillStyle = '#166534';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#f9fafb';
  ctx.font = '20px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(`Dealer shows ${dealer === 1 ? 'an ace' : dealer}`, w / 2, h * 0.3);
  ctx.font = 'bold 30px system-ui, sans-serif';
  ctx.fillText(`Your sum: ${player}`, w / 2, h * 0.6);
  ctx.font = '16px system-ui, sans-serif';
  ctx.fillText(usable ? 'with a usable ace' : 'no usable ace', w / 2, h * 0.72);
}

/** Any other environment: its observation as a bar per element. */
function bars(ctx, w, h, obs) {
  const flat = [obs].flat(Infinity).map(Number).filter(Number.isFinite);
  if (!flat.length) return;
  const max = Math.max(1, ...flat.map(Math.abs));
  const bw = Math.min(60, (w - 40) / flat.length);
  const mid = h / 2;
  flat.forEach((v, i) => {
    ctx.fillStyle = v >= 0 ? '#2563eb' : '#dc2626';
    const bh = (v / max) * (h / 2 - 30);
    ctx.fillRect(20 + i * bw + 2, Math.min(mid, mid - bh), bw - 4, Math.abs(bh));
  });
  ctx.strokeStyle = '#9ca3af';
  ctx.beginPath();
  ctx.moveTo(10, mid);
  ctx.lineTo(w - 10, mid);
  ctx.stroke();
  label(ctx, 'observation', 12, 10);
}

// LunarLander's world is 20 × 13.3 units (600 × 400 pixels at 30 per unit); the observation
// gives the lander's place relative to the pad, its angle and its legs' contacts. The terrain
// is drawn by the server's environment only, so here the pad and its flags stand on a plain
// ground line at the pad's height.
const LL_W = 20;
const LL_H = 400 / 30;
const LL_PAD_Y = LL_H / 4;
const LL_LEG_DOWN = 18 / 30;
const LANDER_POLY = [[-14, 17], [-17, 0], [-17, -10], [17, -10], [17, 0], [14, 17]];

function lunarLander(ctx, w, h, obs) {
  const [sx, sy, , , angle, , contact0, contact1] = obs;
  const k = Math.min(w / LL_W, h / LL_H);
  const X = (x) => (w - LL_W * k) / 2 + x * k;
  const Y = (y) => h - y * k;
  // Sky, ground and the pad between the flags.
  ctx.fillStyle = '#0b1020';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#e5e7eb';
  ctx.fillRect(0, Y(LL_PAD_Y), w, h - Y(LL_PAD_Y));
  for (const fx of [8, 12]) {
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(X(fx), Y(LL_PAD_Y));
    ctx.lineTo(X(fx), Y(LL_PAD_Y) - 50 * (k / 30));
    ctx.stroke();
    ctx.fillStyle = '#cccc00';
    ctx.beginPath();
    ctx.moveTo(X(fx), Y(LL_PAD_Y) - 50 * (k / 30));
    ctx.lineTo(X(fx), Y(LL_PAD_Y) - 40 * (k / 30));
    ctx.lineTo(X(fx) + 25 * (k / 30), Y(LL_PAD_Y) - 45 * (k / 30));
    ctx.fill();
  }
  // The lander's centre, from the observation's normalisation.
  const cx = sx * (LL_W / 2) + LL_W / 2;
  const cy = sy * (LL_H / 2) + LL_PAD_Y + LL_LEG_DOWN;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const at = (lx, ly) => [X(cx + lx * c - ly * s), Y(cy + lx * s + ly * c)];
  // Legs: each hangs from the lander's centre by its anchor (±20, 18) and rests against its
  // joint limit, turned ∓0.35 rad; obs[6] is the leg on the right (Gymnasium's i = -1).
  [[-1, contact0], [1, contact1]].forEach(([i, contact]) => {
    const tilt = -i * 0.35;
    const tc = Math.cos(tilt);
    const ts = Math.sin(tilt);
    const turn = (x, y) => [x * tc - y * ts, x * ts + y * tc];
    const [ax, ay] = turn((i * 20) / 30, 18 / 30);
    ctx.fillStyle = contact ? '#22c55e' : '#8066e6';
    ctx.beginPath();
    [[-2, -8], [2, -8], [2, 8], [-2, 8]].forEach(([px, py], n) => {
      const [qx, qy] = turn(px / 30, py / 30);
      const [x, y] = at(qx - ax, qy - ay);
      if (n === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.closePath();
    ctx.fill();
  });
  ctx.fillStyle = '#8066e6';
  ctx.strokeStyle = '#4d4d80';
  ctx.lineWidth = 2;
  ctx.beginPath();
  LANDER_POLY.forEach(([px, py], i) => {
    const [x, y] = at(px / 30, py / 30);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
}

// BipedalWalker's observation has no position: the hull is drawn in the middle, its legs
// from the hip and knee angles, and the ten lidar rays from their fractions; where a ray
// hit, its end is a point of the terrain, joined into the ground line.
const BW_SCALE = 30;
const BW_HULL = [[-30, 9], [6, 9], [34, 1], [34, -8], [-30, -8]];
const BW_LIDAR_RANGE = 160 / BW_SCALE;

function bipedalWalker(ctx, w, h, obs) {
  const hullAngle = obs[0];
  const k = Math.min(w / 20, h / 13.3);
  const hx = w * 0.35;
  const hy = h * 0.45;
  const P = (x, y) => [hx + x * k, hy - y * k];
  ctx.fillStyle = '#d7d7ff';
  ctx.fillRect(0, 0, w, h);
  // Lidar rays; a point where each hit.
  const hits = [];
  for (let i = 0; i < 10; i++) {
    const f = obs[14 + i];
    const a = (1.5 * i) / 10;
    const [x, y] = P(Math.sin(a) * BW_LIDAR_RANGE * f, -Math.cos(a) * BW_LIDAR_RANGE * f);
    ctx.strokeStyle = 'rgba(255, 0, 0, 0.5)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(...P(0, 0));
    ctx.lineTo(x, y);
    ctx.stroke();
    if (f < 1) hits.push([x, y]);
  }
  if (hits.length > 1) {
    ctx.fillStyle = '#66994c';
    ctx.beginPath();
    ctx.moveTo(hits[0][0], h);
    hits.forEach(([x, y]) => ctx.lineTo(x, y));
    ctx.lineTo(hits[hits.length - 1][0], h);
    ctx.closePath();
    ctx.fill();
  }
  // Legs: hip at (0, -8/30) on the hull; upper leg 34/30 long, lower leg 34/30.
  const legH = 34 / BW_SCALE;
  [[4, 6, 8, '#4d0d4e'], [9, 11, 13, '#9966b2']].forEach(([hip, knee, contact, color]) => {
    const a1 = hullAngle + obs[hip];
    const a2 = a1 + obs[knee] - 1.0;
    const hipPoint = [Math.sin(hullAngle) * (8 / BW_SCALE), -Math.cos(hullAngle) * (8 / BW_SCALE)];
    const kneePoint = [hipPoint[0] + Math.sin(a1) * legH, hipPoint[1] - Math.cos(a1) * legH];
    const footPoint = [kneePoint[0] + Math.sin(a2) * legH, kneePoint[1] - Math.cos(a2) * legH];
    ctx.strokeStyle = color;
    ctx.lineCap = 'round';
    ctx.lineWidth = 8 * (k / BW_SCALE);
    ctx.beginPath();
    ctx.moveTo(...P(...hipPoint));
    ctx.lineTo(...P(...kneePoint));
    ctx.stroke();
    ctx.lineWidth = 6.4 * (k / BW_SCALE);
    ctx.beginPath();
    ctx.moveTo(...P(...kneePoint));
    ctx.lineTo(...P(...footPoint));
    ctx.stroke();
    ctx.lineCap = 'butt';
    if (obs[contact]) {
      ctx.fillStyle = '#22c55e';
      ctx.beginPath();
      ctx.arc(...P(...footPoint), 4, 0, Math.PI * 2);
      ctx.fill();
    }
  });
  const c = Math.cos(hullAngle);
  const s = Math.sin(hullAngle);
  ctx.fillStyle = '#7f33e5';
  ctx.strokeStyle = '#4c4c7f';
  ctx.lineWidth = 2;
  ctx.beginPath();
  BW_HULL.forEach(([px, py], i) => {
    const x = px / BW_SCALE;
    const y = py / BW_SCALE;
    const [X, Y] = P(x * c - y * s, x * s + y * c);
    if (i === 0) ctx.moveTo(X, Y);
    else ctx.lineTo(X, Y);
  });
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
}

const DRAWERS = {
  CartPole: cartPole,
  MountainCar: (ctx, w, h, obs) => mountainCar(ctx, w, h, obs, false),
  MountainCarContinuous: (ctx, w, h, obs) => mountainCar(ctx, w, h, obs, true),
  Acrobot: acrobot,
  Pendulum: (ctx, w, h, obs, info) => pendulum(ctx, w, h, obs, info.action),
  FrozenLake: (ctx, w, h, obs, info) => frozenLake(ctx, w, h, obs, info.kwargs, info.envId),
  FrozenLake8x8: (ctx, w, h, obs, info) => frozenLake(ctx, w, h, obs, { map_name: '8x8', ...info.kwargs }, info.envId),
  Taxi: taxi,
  CliffWalking: cliffWalking,
  CliffWalkingSlippery: cliffWalking,
  Blackjack: blackjack,
  LunarLander: lunarLander,
  LunarLanderContinuous: lunarLander,
  BipedalWalker: bipedalWalker,
  BipedalWalkerHardcore: bipedalWalker,
};

/** Whether the page has a picture for this environment (others get bars). */
export function canDraw(envId) {
  return baseName(envId) in DRAWERS;
}

/**
 * Draws `obs` of `envId` on the canvas.
 * @param {HTMLCanvasElement} canvas
 * @param {{envId: string, kwargs?: object, action?: unknown}} info
 */
export function drawEnv(canvas, obs, info) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  ctx.save();
  frame(ctx, w, h);
  const draw = DRAWERS[baseName(info.envId)] ?? bars;
  draw(ctx, w, h, obs, info);
  ctx.restore();
}

/** A blank canvas with a line of text in the middle. */
export function drawMessage(canvas, text) {
  const ctx = canvas.getContext('2d');
  frame(ctx, canvas.width, canvas.height);
  ctx.fillStyle = '#8a96a8';
  ctx.font = '15px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, canvas.width / 2, canvas.height / 2);
}
