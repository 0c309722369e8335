// On a narrow screen the top bar's menu folds behind one button, so the
// page starts at once and «Выйти» is never cut off. Without this script the
// menu simply stays unfolded.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu-button");
  const menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  button.hidden = false;
  menu.classList.add("foldable");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("unfolded", open);
  });
});
