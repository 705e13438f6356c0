// Guided scoring: updates "Suggested level" as criteria are ticked, by the rule the page
// states (the same rule as maturity/domain/guided.py: the highest level whose criteria,
// and those of every level below it, are all met; a level without criteria stands when
// the levels below it do, but never above the highest level that has criteria).
// Without JavaScript the server works it out when "Save and update the suggested level"
// is pressed. Loaded as a module from templates/assessments/domain.html: the
// Content-Security-Policy allows no inline script.
const box = document.getElementById("suggestion");
if (box) {
  const names = JSON.parse(box.dataset.levelNames); // level 1 first
  const output = document.getElementById("suggested-level-name");
  const inputs = Array.from(document.querySelectorAll("input[name=criteria]"));
  const update = () => {
    let reached = 0;
    let unconfirmed = 0;
    for (let level = 1; level <= names.length; level += 1) {
      const here = inputs.filter((input) => Number(input.dataset.level) === level);
      if (here.length === 0) {
        unconfirmed = level;
      } else if (here.every((input) => input.checked)) {
        reached = level;
      } else {
        reached = Math.max(reached, unconfirmed);
        break;
      }
    }
    output.textContent = reached === 0 ? `Not yet at ${names[0]}` : names[reached - 1];
  };
  inputs.forEach((input) => input.addEventListener("change", update));
}
