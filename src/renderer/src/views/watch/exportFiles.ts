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

function loadImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
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

/**
 * Every chart under `root` stacked into one PNG, each under its caption, on the page's
 * background colour. A chart is two SVGs drawn one over the other: recharts' axes, grid and
 * markers, and the layer of lines over them.
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
          }
        : null;
    }),
  );
  const drawn = parts.filter((p) => p !== null);
  const scale = window.devicePixelRatio || 1;
  const captionHeight = 20;
  const width = Math.max(1, ...drawn.map((p) => p.images[0]!.width));
  const height = Math.max(
    1,
    drawn.reduce((sum, p) => sum + captionHeight + p.images[0]!.height, 0),
  );
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw to a canvas.');
  ctx.scale(scale, scale);
  const style = getComputedStyle(root);
  ctx.fillStyle = style.getPropertyValue('--bg').trim() || '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = style.color || '#000000';
  ctx.font = `600 13px ${style.fontFamily}`;
  let y = 0;
  for (const part of drawn) {
    ctx.fillText(part.caption, 8, y + 15);
    y += captionHeight;
    for (const image of part.images) ctx.drawImage(image, 0, y);
    y += part.images[0]!.height;
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be encoded.'))),
      'image/png',
    ),
  );
}
