// Recorded answers at 1× or 1.5× (coaches watch many): each answer's speed buttons set its
// video's playbackRate and say which is pressed. Without JavaScript the buttons stay hidden.

for (const group of document.querySelectorAll("[data-speed-for]")) {
  const video = group.parentElement.querySelector("video[data-playback]");
  if (!video) continue;
  const buttons = [...group.querySelectorAll("[data-speed]")];
  for (const button of buttons) {
    button.addEventListener("click", () => {
      video.playbackRate = Number(button.dataset.speed);
      for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
    });
  }
  group.hidden = false;
}
