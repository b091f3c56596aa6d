"""Make the demo webinar recording (webinars/demo_media/webinar-recording.webm) without any new
binary: headless Chromium draws a few seconds on a canvas and records it with MediaRecorder
(VP8 in WebM, about 25 KB). Run with the project's venv: `.venv/bin/python bin/make_demo_video.py`.
"""

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

JS = """
async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 320; canvas.height = 180;
  document.body.appendChild(canvas);
  const ctx = canvas.getContext('2d');
  const stream = canvas.captureStream(15);
  const rec = new MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 150000});
  const chunks = [];
  rec.ondataavailable = e => chunks.push(e.data);
  let frame = 0;
  const draw = () => {
    ctx.fillStyle = '#0b5c73'; ctx.fillRect(0, 0, 320, 180);
    ctx.fillStyle = '#ffffff'; ctx.font = 'bold 22px sans-serif';
    ctx.fillText('MedPath webinar', 70, 80);
    ctx.font = '16px sans-serif';
    ctx.fillText('Demo recording ' + (frame / 15).toFixed(1) + ' s', 80, 115);
    ctx.fillStyle = '#f2b705'; ctx.fillRect(20 + (frame * 6) % 280, 140, 20, 20);
    frame++;
  };
  draw();
  const timer = setInterval(draw, 1000 / 15);
  rec.start();
  await new Promise(r => setTimeout(r, 3000));
  rec.stop();
  await new Promise(r => rec.onstop = r);
  clearInterval(timer);
  const blob = new Blob(chunks, {type: 'video/webm'});
  const buf = new Uint8Array(await blob.arrayBuffer());
  let s = ''; for (const b of buf) s += String.fromCharCode(b);
  return btoa(s);
}
"""
with sync_playwright() as p:
    b = p.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
    )
    page = b.new_page()
    page.set_content("<html><body></body></html>")
    data = base64.b64decode(page.evaluate(JS))
    target = (
        Path(__file__).resolve().parents[1] / "webinars" / "demo_media" / "webinar-recording.webm"
    )
    target.write_bytes(data)
    print(f"wrote {len(data)} bytes to {target}")
    b.close()
