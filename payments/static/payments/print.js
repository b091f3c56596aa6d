// "Print receipt": shown only where JavaScript can print (the receipt's print stylesheet does the
// rest; browsers offer "Save as PDF" in the same dialog).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
