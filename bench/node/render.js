// The sharp anchor of `bench/run render`: one resize of one file on local disk into a box,
// fit inside, as WebP, timed per sample after untimed warm-ups, with sharp.concurrency(1) and
// no cache (each sample reads and decodes the file again, as a render miss does).
// Prints one JSON line on stdout:
//   {"tool":"sharp","version":..,"libvips":..,"file":..,"width":W,"height":H,"bytes":B,"samplesMs":[..]}
// Usage: node render.js --samples N --warmup K --box 800 --quality Q FILE
'use strict';
const sharp = require('sharp');

const args = process.argv.slice(2);
let samples = 200;
let warmup = 10;
let box = 800;
let quality = 80;
let file = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--samples') samples = Number(args[++i]);
  else if (args[i] === '--warmup') warmup = Number(args[++i]);
  else if (args[i] === '--box') box = Number(args[++i]);
  else if (args[i] === '--quality') quality = Number(args[++i]);
  else file = args[i];
}
if (!file) {
  console.error('usage: node render.js --samples N --warmup K --box PX --quality Q FILE');
  process.exit(2);
}

sharp.concurrency(1);
sharp.cache(false);

function render() {
  return sharp(file)
    .rotate()
    .resize(box, box, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality })
    .toBuffer({ resolveWithObject: true });
}

(async () => {
  let last = null;
  for (let i = 0; i < warmup; i++) last = await render();
  const times = [];
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    last = await render();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(JSON.stringify({
    tool: 'sharp',
    version: sharp.versions.sharp,
    libvips: sharp.versions.vips,
    file,
    width: last.info.width,
    height: last.info.height,
    bytes: last.data.length,
    samplesMs: times,
  }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
