// The priorities page's order form, with "Move up" / "Move down" buttons.
//
// Without JavaScript the chair types each priority's position and saves the
// order once. With it, each row gets two buttons that move the row in the
// page and renumber the positions; nothing is sent until "Save the order".
// Each move is announced in the form's live region, and focus stays on the
// button pressed (or the row's other button once the row is first or last).

const form = document.querySelector("form[data-priority-order]");

function rows(list) {
  return Array.from(list.children);
}

function button(row, direction, label) {
  const element = document.createElement("button");
  element.type = "button";
  element.className =
    "govuk-button govuk-button--secondary marmot-priorities__button";
  element.dataset.direction = direction;
  element.textContent = label;
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = `: ${row.dataset.title}`;
  element.append(hidden);
  return element;
}

function renumber(list) {
  const all = rows(list);
  all.forEach((row, index) => {
    row.querySelector('input[name^="position_"]').value = String(index + 1);
    row.querySelector('[data-direction="up"]').hidden = index === 0;
    row.querySelector('[data-direction="down"]').hidden =
      index === all.length - 1;
  });
}

function move(list, row, direction, status) {
  const all = rows(list);
  const here = all.indexOf(row);
  const there = direction === "up" ? here - 1 : here + 1;
  if (there < 0 || there >= all.length) return;
  if (direction === "up") list.insertBefore(row, all[there]);
  else list.insertBefore(row, all[there].nextSibling);
  renumber(list);
  const pressed = row.querySelector(`[data-direction="${direction}"]`);
  const other = row.querySelector(
    `[data-direction="${direction === "up" ? "down" : "up"}"]`,
  );
  (pressed.hidden ? other : pressed).focus();
  status.textContent =
    `“${row.dataset.title}” moved ${direction} to position ${there + 1} ` +
    `of ${all.length}. Save the order to keep it.`;
}

function enhance(form) {
  const list = form.querySelector(".marmot-priorities__list");
  const status = form.querySelector("#priority-order-status");
  const hint = form.querySelector("[data-priority-order-hint]");
  if (!list || !status) return;
  for (const row of rows(list)) {
    const box = row.querySelector(".marmot-priorities__buttons");
    for (const [direction, label] of [
      ["up", "Move up"],
      ["down", "Move down"],
    ]) {
      const element = button(row, direction, label);
      element.addEventListener("click", () =>
        move(list, row, direction, status),
      );
      box.append(element);
    }
    row.querySelector('[data-direction="up"]').hidden =
      row === list.firstElementChild;
    row.querySelector('[data-direction="down"]').hidden =
      row === list.lastElementChild;
  }
  if (hint) {
    hint.textContent =
      "Move the priorities up or down, or type each one's number, then " +
      "save the order.";
  }
  form.dataset.priorityOrderReady = "true";
}

if (form) enhance(form);
