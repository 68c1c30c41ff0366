// A small line chart on a canvas: a few named series of (x, y) points, axes with round ticks,
// an optional horizontal reference line. Redraws at most once a frame however fast points come.

/** Points a series keeps before it is thinned to every other one. */
const MAX_POINTS = 4000;

/** Round tick values covering [min, max], about `count` of them. */
function ticks(min, max, count) {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** 12345 → "12.3k", for axis labels. */
export function compact(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  if (a >= 100 || Number.isInteger(v)) return String(Math.round(v));
  // Small figures (losses, KL) keep two significant digits, so neighbouring ticks differ.
  if (a < 0.1) return String(+v.toPrecision(2));
  return String(+v.toFixed(2));
}

export class LineChart {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{series: {name: string, color: string, dots?: boolean, width?: number}[], empty?: string, yMin?: number, xFormat?: (x: number) => string}} options
   */
  constructor(canvas, options) {
    this.canvas = canvas;
    this.options = options;
    this.data = options.series.map(() => []);
    this.reference = null;
    this.pending = false;
    this.draw();
  }

  /** Adds a point to series `i` (skipping non-numbers); a long series keeps every other point, so hours of frames stay cheap to draw. */
  push(i, x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.data[i].push([x, y]);
    if (this.data[i].length > MAX_POINTS) this.data[i] = this.data[i].filter((_, j, all) => j % 2 === 0 || j === all.length - 1);
    this.canvas.dataset.points = String(this.data.reduce((n, s) => n + s.length, 0));
    this.schedule();
  }

  /** A dashed horizontal line (e.g. the reward threshold), or null for none. */
  setReference(value, label) {
    this.reference = Number.isFinite(value) ? { value, label } : null;
    this.schedule();
  }

  clear() {
    this.data = this.options.series.map(() => []);
    this.canvas.dataset.points = '0';
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    const canvas = this.canvas;
    // Draw at the device's pixel density so lines stay crisp on HiDPI screens.
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.width;
    const height = Math.round((width * Number(canvas.getAttribute('height'))) / Number(canvas.getAttribute('width'))) || canvas.height;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';

    const points = this.data.flat();
    // The top band holds the legend, clear of the data, on as many rows as the width needs.
    const rows = this.legendRows(ctx, width - 58);
    const pad = { left: 46, right: 12, top: 12 + 14 * rows.length, bottom: 22 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    if (points.length === 0) {
      ctx.fillStyle = '#8a96a8';
      ctx.textAlign = 'center';
      ctx.fillText(this.options.empty ?? 'No data yet', width / 2, height / 2);
      return;
    }
    // Loops, not Math.min(...all): a spread of many thousand points overflows the stack.
    let [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, this.options.yMin ?? Infinity, -Infinity];
    for (const [x, y] of points) {
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
    if (this.reference) {
      yMin = Math.min(yMin, this.reference.value);
      yMax = Math.max(yMax, this.reference.value);
    }
    if (xMax === xMin) xMax = xMin + 1;
    if (yMax === yMin) {
      yMax += 1;
      yMin -= 1;
    }
    const yPad = (yMax - yMin) * 0.06;
    yMax += yPad;
    if (this.options.yMin === undefined) yMin -= yPad;
    xMin = Math.min(xMin, 0);
    const sx = (x) => pad.left + ((x - xMin) / (xMax - xMin)) * w;
    const sy = (y) => pad.top + (1 - (y - yMin) / (yMax - yMin)) * h;

    ctx.strokeStyle = '#e6ebf1';
    ctx.fillStyle = '#6b7789';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of ticks(yMin, yMax, Math.max(2, Math.floor(h / 40)))) {
      ctx.beginPath();
      ctx.moveTo(pad.left, Math.round(sy(t)) + 0.5);
      ctx.lineTo(pad.left + w, Math.round(sy(t)) + 0.5);
      ctx.stroke();
      ctx.fillText(compact(t), pad.left - 6, sy(t));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const xLabel = this.options.xFormat ?? compact;
    for (const t of ticks(xMin, xMax, Math.max(2, Math.floor(w / 90)))) ctx.fillText(xLabel(t), sx(t), pad.top + h + 6);

    if (this.reference) {
      ctx.save();
      ctx.setLineDash([5, 4]);
      ctx.strokeStyle = '#16a34a';
      ctx.beginPath();
      ctx.moveTo(pad.left, sy(this.reference.value));
      ctx.lineTo(pad.left + w, sy(this.reference.value));
      ctx.stroke();
      ctx.restore();
      ctx.fillStyle = '#16a34a';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(this.reference.label ?? '', pad.left + w - 4, sy(this.reference.value) - 2);
    }

    this.options.series.forEach((series, i) => {
      const data = this.data[i];
      if (!data.length) return;
      ctx.strokeStyle = series.color;
      ctx.fillStyle = series.color;
      if (series.dots) {
        for (const [x, y] of data) ctx.fillRect(sx(x) - 1.5, sy(y) - 1.5, 3, 3);
      } else {
        ctx.lineWidth = series.width ?? 2;
        ctx.beginPath();
        data.forEach(([x, y], j) => (j ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
        ctx.stroke();
        if (data.length === 1) ctx.fillRect(sx(data[0][0]) - 2, sy(data[0][1]) - 2, 4, 4);
      }
    });

    // Legend, in the band above the plot.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    rows.forEach((row, r) => {
      const ly = 10 + 14 * r;
      for (const { series, x } of row) {
        ctx.fillStyle = series.color;
        ctx.fillRect(pad.left + x, ly - 1, 10, 3);
        ctx.fillStyle = '#374151';
        ctx.fillText(series.name, pad.left + x + 14, ly);
      }
    });
  }

  /** The legend's entries laid out in rows no wider than `width`. */
  legendRows(ctx, width) {
    const rows = [[]];
    let x = 0;
    for (const series of this.options.series) {
      const w = ctx.measureText(series.name).width + 30;
      if (x > 0 && x + w - 16 > width) {
        rows.push([]);
        x = 0;
      }
      rows[rows.length - 1].push({ series, x });
      x += w;
    }
    return rows;
  }
}
