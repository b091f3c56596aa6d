// The system check before a test with video answers (templates/practice/system_check.html).
//
// No clock runs here: the attempt starts only when the applicant presses "Begin the test", a
// plain form post that works whatever the checks found. The page asks for the camera and
// microphone and shows the live preview (saying plainly when permission is refused or no
// device exists), makes a 5-second test recording with the same types and bitrate as the
// test's recorder (recorder.js) and plays it back from a blob: URL (the CSP's media-src allows
// blob:), and times an upload of 1 MB of random bytes to /practice/check/upload/.

import { csrfToken, supportedType, VIDEO_BITS_PER_SECOND, VIDEO_TYPES } from "./recorder.js";

const RECORD_MS = 5000;
const SPEED_TEST_BYTES = 1_000_000;
const SLOW_MBPS = 1.5;

const root = document.querySelector("[data-system-check]");
const preview = root.querySelector("[data-check-preview]");
const cameraStatus = root.querySelector("[data-check-camera-status]");
const cameraButton = root.querySelector("[data-check-camera]");
const recordButton = root.querySelector("[data-check-record]");
const recordStatus = root.querySelector("[data-check-record-status]");
const playback = root.querySelector("[data-check-playback]");
const speedButton = root.querySelector("[data-check-speed]");
const speedStatus = root.querySelector("[data-check-speed-status]");
const slowWarning = root.querySelector("[data-check-slow]");
let stream = null;
let playbackUrl = "";

function refusal(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return (
      "Your browser did not allow the camera and microphone. To allow them, select the " +
      "camera icon or the padlock in the address bar, choose Allow for both, then press " +
      "“Ask again”. You may need to reload the page."
    );
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return (
      "No camera or microphone was found. Connect one (or turn it on), then press “Ask again”."
    );
  }
  if (name === "NotReadableError" || name === "AbortError") {
    return (
      "The camera or microphone is in use by another program (a video call, another tab). " +
      "Close it, then press “Ask again”."
    );
  }
  return "The camera and microphone could not be opened. Press “Ask again” to retry.";
}

async function openCamera() {
  cameraButton.hidden = true;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
    cameraStatus.textContent =
      "This browser cannot record video answers. Use a recent Chrome, Edge, Firefox or Safari.";
    return;
  }
  cameraStatus.textContent = "Asking for your camera and microphone…";
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  } catch (error) {
    cameraStatus.textContent = refusal(error);
    cameraButton.hidden = false;
    return;
  }
  preview.srcObject = stream;
  preview.hidden = false;
  preview.play().catch(() => {});
  cameraStatus.textContent = stream.getAudioTracks().length
    ? "Your camera and microphone work: you should see yourself above."
    : "Your camera works, but no microphone was found: your answers would be silent.";
  recordButton.disabled = false;
}

function record() {
  const mimeType = supportedType(VIDEO_TYPES);
  const options = { videoBitsPerSecond: VIDEO_BITS_PER_SECOND };
  if (mimeType) options.mimeType = mimeType;
  let recorder;
  try {
    recorder = new MediaRecorder(stream, options);
  } catch {
    recordStatus.textContent = "This browser could not start a recording.";
    return;
  }
  const chunks = [];
  recorder.addEventListener("dataavailable", (event) => {
    if (event.data.size) chunks.push(event.data);
  });
  recorder.addEventListener("stop", () => {
    const blob = new Blob(chunks, { type: recorder.mimeType || "video/webm" });
    if (playbackUrl) URL.revokeObjectURL(playbackUrl);
    playbackUrl = URL.createObjectURL(blob);
    playback.src = playbackUrl;
    playback.hidden = false;
    recordButton.disabled = false;
    recordStatus.textContent = blob.size
      ? `Recorded ${Math.round(blob.size / 1000)} KB. Play it back below: can you see and hear yourself?`
      : "The recording came out empty: check your camera and microphone and try again.";
  });
  recordButton.disabled = true;
  recordStatus.textContent = "Recording for 5 seconds… say a few words.";
  recorder.start(1000);
  window.setTimeout(() => recorder.state !== "inactive" && recorder.stop(), RECORD_MS);
}

function randomBytes(size) {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(at + 65536, size)));
  }
  return bytes;
}

async function measureUpload() {
  speedButton.disabled = true;
  slowWarning.hidden = true;
  speedStatus.textContent = "Testing your upload speed…";
  const body = randomBytes(SPEED_TEST_BYTES);
  const started = performance.now();
  try {
    const response = await fetch(root.dataset.uploadUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/octet-stream", "X-CSRFToken": csrfToken() },
      body,
    });
    if (!response.ok) throw new Error(String(response.status));
    const { bytes } = await response.json();
    const seconds = Math.max((performance.now() - started) / 1000, 0.001);
    const mbps = (bytes * 8) / seconds / 1_000_000;
    speedStatus.textContent = `Upload speed: about ${mbps.toFixed(1)} Mb/s.`;
    slowWarning.hidden = mbps >= SLOW_MBPS;
  } catch {
    speedStatus.textContent =
      "The upload test did not reach MedPath: check your connection and try again.";
  } finally {
    speedButton.disabled = false;
  }
}

cameraButton.addEventListener("click", openCamera);
recordButton.addEventListener("click", record);
speedButton.addEventListener("click", measureUpload);
speedButton.disabled = false;
openCamera();
