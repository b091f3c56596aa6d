// A scenario's video prompt plays once, without seeking, as in the real test: the player's
// controls give way to one Play button; moving the position is undone; when it has ended (or
// once played in this browser, after a reload) it cannot be played again. The transcript
// beside it stays for those who need it. Without JavaScript the video keeps its controls.

const video = document.querySelector("video[data-play-once]");
const controls = document.querySelector("[data-play-once-controls]");
if (video && controls) {
  const key = `medpath-prompt-played:${video.dataset.playOnce}`;
  const button = controls.querySelector("[data-play-once-button]");
  const status = controls.querySelector("[data-play-once-status]");
  let furthest = 0;

  const finished = () => {
    button.disabled = true;
    status.textContent = "The scenario has played.";
  };

  video.removeAttribute("controls");
  controls.hidden = false;
  if (window.localStorage.getItem(key)) finished();

  button.addEventListener("click", () => {
    window.localStorage.setItem(key, "1");
    button.disabled = true;
    status.textContent = "Playing…";
    video.play().catch(() => {
      status.textContent = "The video could not play: read the transcript or the prompt.";
    });
  });
  video.addEventListener("timeupdate", () => {
    if (!video.seeking) furthest = Math.max(furthest, video.currentTime);
  });
  video.addEventListener("seeking", () => {
    if (Math.abs(video.currentTime - furthest) > 0.5) video.currentTime = furthest;
  });
  video.addEventListener("ended", finished);
}
