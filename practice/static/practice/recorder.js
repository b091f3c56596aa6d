// Spoken answers recorded in the browser with MediaRecorder and uploaded to the question's
// recording address with the CSRF token.
//
// An MMI station: audio only, optional, uploaded whole; the applicant starts and stops it. A
// video-response question (`data-video`): camera and microphone, a live preview, recording
// starts by itself (`data-autostart`), each second's chunk is sent as it comes (parts.js), and
// it stops when the page's timer reaches zero; `flush()` stops it and waits (at most
// FLUSH_WAIT_MS) for the take to be saved before the timer loads the next question; what is
// not saved by then stays in the browser and the next page finishes sending it.
// Where the browser cannot record (no MediaRecorder, no device, permission refused) the panel
// stays hidden and the page's plain message says what to do.

import { TakeUploader } from "./parts.js";

const AUDIO_TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
export const VIDEO_TYPES = [
  "video/webm;codecs=vp8,opus",
  "video/webm;codecs=vp9,opus",
  "video/webm",
  "video/mp4",
];
// About 1 Mb/s of video keeps a minute's answer near 8 MB, inside the 15 MB limit.
export const VIDEO_BITS_PER_SECOND = 1_000_000;
const FLUSH_WAIT_MS = 15_000;

export function supportedType(types) {
  return types.find((type) => window.MediaRecorder.isTypeSupported(type)) || "";
}

export function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

export function canRecord() {
  return Boolean(
    window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia,
  );
}

export function setUpRecorder(panel) {
  const video = "video" in panel.dataset;
  const startButton = panel.querySelector("[data-record-start]");
  const stopButton = panel.querySelector("[data-record-stop]");
  const status = panel.querySelector("[data-record-status]");
  const preview = panel.querySelector("[data-preview]");
  const maxBytes = Number(panel.dataset.maxBytes);
  const field = video ? "video" : "audio";
  let recorder = null;
  let uploader = null;
  let stream = null;
  let chunks = [];
  let size = 0;
  let finished = Promise.resolve();

  async function upload(blob) {
    status.textContent = "Uploading your answer…";
    const body = new FormData();
    body.append(field, blob, "answer");
    try {
      const response = await fetch(panel.dataset.uploadUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
        body,
      });
      const answer = await response.json().catch(() => ({}));
      status.textContent = response.ok
        ? "Answer kept."
        : answer.detail || "The recording could not be kept.";
    } catch {
      status.textContent = "The recording could not be uploaded: no connection.";
    }
  }

  async function openDevices() {
    if (stream) return stream;
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    if (preview) {
      preview.srcObject = stream;
      preview.play().catch(() => {});
    }
    return stream;
  }

  async function start() {
    try {
      await openDevices();
    } catch {
      status.textContent = video
        ? "No camera or microphone is available."
        : "No microphone is available: type your notes instead.";
      return;
    }
    const mimeType = supportedType(video ? VIDEO_TYPES : AUDIO_TYPES);
    const options = mimeType ? { mimeType } : {};
    if (video) {
      options.videoBitsPerSecond = Number(panel.dataset.bitsPerSecond) || VIDEO_BITS_PER_SECOND;
    }
    recorder = new MediaRecorder(stream, options);
    chunks = [];
    size = 0;
    uploader = video
      ? new TakeUploader(panel.dataset.takesUrl, ({ percent, failed }) => {
          status.textContent = failed || `Recording… ${percent}% of what is recorded has reached MedPath.`;
        })
      : null;
    let done;
    finished = new Promise((resolve) => {
      done = resolve;
    });
    recorder.addEventListener("dataavailable", (event) => {
      if (!event.data.size) return;
      size += event.data.size;
      if (uploader) uploader.add(event.data);
      else chunks.push(event.data);
      if (size > maxBytes && recorder.state !== "inactive") {
        status.textContent = "The recording reached its size limit and stopped.";
        recorder.stop();
      }
    });
    recorder.addEventListener("stop", () => {
      startButton.disabled = false;
      stopButton.disabled = true;
      if (uploader) {
        status.textContent = "Saving your answer…";
        uploader.finish().then(({ message }) => {
          status.textContent = message;
          done();
        });
        return;
      }
      const type = recorder.mimeType || (video ? "video/webm" : "audio/webm");
      const blob = new Blob(chunks, { type });
      if (blob.size > maxBytes) {
        status.textContent = "The recording is too long to keep.";
        done();
        return;
      }
      upload(blob).finally(done);
    });
    recorder.start(1000);
    startButton.disabled = true;
    stopButton.disabled = false;
    status.textContent = "Recording…";
  }

  function stop() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
    const waited = new Promise((resolve) => window.setTimeout(resolve, FLUSH_WAIT_MS));
    return Promise.race([finished, waited]);
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", () => {
    stop();
    startButton.focus();
  });

  panel.hidden = false;
  const missing = document.querySelector("[data-recorder-missing]");
  if (missing) missing.hidden = true;
  if ("autostart" in panel.dataset) start();

  // Called by the page's timer at zero: the take in progress is kept before the page moves on.
  return {
    flush() {
      return stop().finally(() => {
        if (stream) stream.getTracks().forEach((track) => track.stop());
      });
    },
  };
}
