// The sharp anchor of `bench/run images`: 512-pixel JPEG thumbnails (longest side 512, EXIF
// orientation applied, in memory) of the files given, one at a time, with sharp.concurrency(1),
// after one untimed warm-up pass. Prints one JSON line on stdout:
//   {"tool":"sharp","version":..,"libvips":..,"images":N,"failed":[..],"passes":[s,..],
//    "cpuSeconds":[..],"maxRssKb":..}
// Usage: node thumbs.js --passes P --quality Q --size 512 FILE...
'use strict';
const sharp = require('sharp');

const args = process.argv.slice(2);
let passes = 5;
let quality = 85;
let size = 512;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--passes') passes = Number(args[++i]);
  else if (args[i] === '--quality') quality = Number(args[++i]);
  else if (args[i] === '--size') size = Number(args[++i]);
  else files.push(args[i]);
}

sharp.concurrency(1);
sharp.cache(false); // every pass decodes the files again, as a fresh Lambda invocation would

async function thumb(file) {
  return sharp(file)
    .rotate() // EXIF orientation, as Mediaflow applies it
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality })
    .toBuffer({ resolveWithObject: true });
}

async function pass(failed) {
  let ok = 0;
  for (const f of files) {
    try {
      const { info } = await thumb(f);
      if (Math.max(info.width, info.height) > size) throw new Error(`${info.width}x${info.height}`);
      ok++;
    } catch (e) {
      if (failed) failed.push(`${f}: ${String(e.message).split('\n')[0]}`);
    }
  }
  return ok;
}

(async () => {
  const failed = [];
  const ok = await pass(failed); // untimed warm-up
  const okFiles = files.filter((f) => !failed.some((x) => x.startsWith(f + ':')));
  files.length = 0;
  files.push(...okFiles);
  const times = [];
  const cpu = [];
  for (let p = 0; p < passes && files.length > 0; p++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await pass(null);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  console.log(JSON.stringify({
    tool: 'sharp',
    version: sharp.versions.sharp,
    libvips: sharp.versions.vips,
    images: ok,
    failed,
    passes: times,
    cpuSeconds: cpu,
    maxRssKb: process.resourceUsage().maxRSS,
  }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
