/** Downloads from the page: a blob and a temporary anchor (works in Electron and Chromium). */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The text properties an SVG drawn as an image must carry itself: it sees none of the page's CSS. */
const TEXT_STYLE = ['font-family', 'font-size', 'font-weight', 'font-style', 'fill'] as const;

/**
 * `copy`'s text styled as the page shows `svg`'s. An SVG drawn as an image gets no styles from
 * the page, so without this its axis labels fall back to the default serif font.
 */
function inlineTextStyles(svg: SVGSVGElement, copy: SVGSVGElement): void {
  const originals = svg.querySelectorAll<SVGElement>('text, tspan');
  const copies = copy.querySelectorAll<SVGElement>('text, tspan');
  originals.forEach((text, i) => {
    const style = getComputedStyle(text);
    const target = copies[i];
    if (!target) return;
    for (const property of TEXT_STYLE)
      target.style.setProperty(property, style.getPropertyValue(property));
  });
  copy.style.setProperty('font-family', getComputedStyle(svg).fontFamily);
}

function loadImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineTextStyles(svg, copy);
  // The pointer's cursor and tooltip are not part of the chart (and an HTML tooltip inside an
  // SVG image would not draw).
  for (const layer of copy.querySelectorAll('.timeline-hover')) layer.remove();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  const text = new XMLSerializer().serializeToString(copy);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      resolve(image);
    };
    image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
    image.src = url;
  });
}

/** One line of a chart's legend: its name and how it is drawn. */
interface LegendEntry {
  name: string;
  color: string;
  dashed: boolean;
}

const CAPTION_HEIGHT = 20;
const LEGEND_ROW = 18;
const SWATCH = 18;

/** The legend of a chart's lines, read from the lines drawn (hidden series are not drawn). */
function legendOf(figure: HTMLElement): LegendEntry[] {
  return [...figure.querySelectorAll<SVGPathElement>('path.timeline-line')].map((path) => ({
    name: path.dataset['name'] ?? path.dataset['key'] ?? '',
    color: path.getAttribute('stroke') ?? '#888',
    dashed: path.hasAttribute('stroke-dasharray'),
  }));
}

/** Where each legend entry goes in rows of at most `width`, and how many rows that takes. */
function placeLegend(
  ctx: CanvasRenderingContext2D,
  entries: readonly LegendEntry[],
  width: number,
): { entry: LegendEntry; x: number; row: number }[] {
  const placed: { entry: LegendEntry; x: number; row: number }[] = [];
  let x = 8;
  let row = 0;
  for (const entry of entries) {
    const w = SWATCH + 6 + ctx.measureText(entry.name).width + 16;
    if (x > 8 && x + w > width) {
      x = 8;
      row += 1;
    }
    placed.push({ entry, x, row });
    x += w;
  }
  return placed;
}

function drawLegend(
  ctx: CanvasRenderingContext2D,
  placed: ReturnType<typeof placeLegend>,
  top: number,
  textColor: string,
): void {
  for (const { entry, x, row } of placed) {
    const middle = top + row * LEGEND_ROW + LEGEND_ROW / 2;
    ctx.strokeStyle = entry.color;
    ctx.lineWidth = 3;
    ctx.setLineDash(entry.dashed ? [5, 4] : []);
    ctx.beginPath();
    ctx.moveTo(x, middle);
    ctx.lineTo(x + SWATCH, middle);
    ctx.stroke();
    ctx.fillStyle = textColor;
    ctx.fillText(entry.name, x + SWATCH + 6, middle + 4);
  }
  ctx.setLineDash([]);
}

/**
 * Every chart under `root` stacked into one PNG, each under its caption and over a legend of its
 * lines, on the page's background colour, all text in the app's font. A chart is two SVGs drawn
 * one over the other: recharts' axes, grid and markers, and the layer of lines over them.
 */
export async function chartsToPng(root: HTMLElement): Promise<Blob> {
  const figures = [...root.querySelectorAll<HTMLElement>('figure.timeline')];
  const parts = await Promise.all(
    figures.map(async (figure) => {
      const layers = [
        ...figure.querySelectorAll<SVGSVGElement>('svg.recharts-surface, svg.timeline-layer'),
      ];
      return layers.length > 0
        ? {
            caption: figure.querySelector('figcaption')?.textContent ?? '',
            images: await Promise.all(layers.map(loadImage)),
            legend: legendOf(figure),
          }
        : null;
    }),
  );
  const drawn = parts.filter((p) => p !== null);
  const scale = window.devicePixelRatio || 1;
  const width = Math.max(1, ...drawn.map((p) => p.images[0]!.width));
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw to a canvas.');
  const style = getComputedStyle(root);
  const legendFont = `12px ${style.fontFamily}`;
  ctx.font = legendFont;
  const legends = drawn.map((p) => placeLegend(ctx, p.legend, width));
  const legendHeight = (i: number): number =>
    legends[i]!.length === 0 ? 0 : (legends[i]!.at(-1)!.row + 1) * LEGEND_ROW + 4;
  const height = Math.max(
    1,
    drawn.reduce((sum, p, i) => sum + CAPTION_HEIGHT + p.images[0]!.height + legendHeight(i), 0),
  );
  // Sizing the canvas resets its context: measured above, drawn below.
  canvas.width = width * scale;
  canvas.height = height * scale;
  ctx.scale(scale, scale);
  ctx.fillStyle = style.getPropertyValue('--bg').trim() || '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const textColor = style.color || '#000000';
  let y = 0;
  drawn.forEach((part, i) => {
    ctx.fillStyle = textColor;
    ctx.font = `600 13px ${style.fontFamily}`;
    ctx.fillText(part.caption, 8, y + 15);
    y += CAPTION_HEIGHT;
    for (const image of part.images) ctx.drawImage(image, 0, y);
    y += part.images[0]!.height;
    ctx.font = legendFont;
    drawLegend(ctx, legends[i]!, y, textColor);
    y += legendHeight(i);
  });
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be encoded.'))),
      'image/png',
    ),
  );
}
