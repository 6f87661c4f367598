// Enhances the list: a live count and a filter box, all in the page.
const list = document.getElementById("notes");
if (list) {
  const box = document.createElement("input");
  box.placeholder = "Filter notes";
  box.id = "filter";
  list.before(box);
  const count = document.createElement("p");
  count.id = "count";
  list.after(count);
  const update = () => {
    let shown = 0;
    for (const item of list.children) {
      const match = item.textContent.toLowerCase().includes(box.value.toLowerCase());
      item.hidden = !match;
      if (match) shown++;
    }
    count.textContent = `${shown} note${shown === 1 ? "" : "s"}`;
  };
  box.addEventListener("input", update);
  update();
}
