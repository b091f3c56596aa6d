// An optional spoken answer for an MMI station: MediaRecorder, audio only, uploaded to the
// station's recording address with the CSRF token. The panel stays hidden where the browser
// cannot record (no MediaRecorder, no microphone, permission refused): the station still
// works with typed notes.

const TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

function supportedType() {
  return TYPES.find((type) => window.MediaRecorder.isTypeSupported(type)) || "";
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function setUp(panel) {
  const startButton = panel.querySelector("[data-record-start]");
  const stopButton = panel.querySelector("[data-record-stop]");
  const status = panel.querySelector("[data-record-status]");
  const maxBytes = Number(panel.dataset.maxBytes);
  let recorder = null;
  let chunks = [];
  let size = 0;

  async function upload(blob) {
    status.textContent = "Uploading your recording…";
    const body = new FormData();
    body.append("audio", blob, "answer");
    try {
      const response = await fetch(panel.dataset.uploadUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
        body,
      });
      const answer = await response.json().catch(() => ({}));
      status.textContent = response.ok
        ? "Recording kept. Recording again replaces it."
        : answer.detail || "The recording could not be kept.";
    } catch {
      status.textContent = "The recording could not be uploaded: no connection.";
    }
  }

  startButton.addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch {
      status.textContent = "No microphone is available: type your notes instead.";
      return;
    }
    const mimeType = supportedType();
    recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    chunks = [];
    size = 0;
    recorder.addEventListener("dataavailable", (event) => {
      if (!event.data.size) return;
      size += event.data.size;
      chunks.push(event.data);
      if (size > maxBytes) {
        status.textContent = "The recording reached its size limit and stopped.";
        recorder.stop();
      }
    });
    recorder.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      startButton.disabled = false;
      stopButton.disabled = true;
      const blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
      if (blob.size > maxBytes) {
        status.textContent = "The recording is too long to keep (15 MB at most).";
        return;
      }
      upload(blob);
    });
    recorder.start(1000);
    startButton.disabled = true;
    stopButton.disabled = false;
    stopButton.focus();
    status.textContent = "Recording…";
  });

  stopButton.addEventListener("click", () => {
    if (recorder && recorder.state !== "inactive") recorder.stop();
    startButton.focus();
  });

  panel.hidden = false;
}

const panel = document.querySelector("[data-recorder]");
if (panel && window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  setUp(panel);
}
