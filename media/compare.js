// The comparison webview's only script (loaded by nonce): a campaign links to its line in the plan, a problem to its
// file and line, and the actions compare again or change the base; each posts a message, and the extension acts on it.
(function () {
  const vscode = acquireVsCodeApi();
  // The plan this comparison belongs to: VS Code keeps the state, so the panel comes back after a window reload.
  if (document.body.dataset.plan) vscode.setState({ plan: document.body.dataset.plan });
  document.addEventListener('click', event => {
    const target = event.target instanceof Element ? event.target.closest('a[data-line], a[data-problem], a[data-action]') : null;
    if (!target) return;
    event.preventDefault();
    if (target.dataset.line !== undefined) {
      vscode.postMessage({ type: 'reveal', line: Number(target.dataset.line) });
    } else if (target.dataset.problem !== undefined) {
      // Only the index: the extension knows which file each problem is in, the page names none.
      vscode.postMessage({ type: 'problem', index: Number(target.dataset.problem) });
    } else if (target.dataset.action === 'rerun' || target.dataset.action === 'choose-base') {
      vscode.postMessage({ type: target.dataset.action });
    }
  });
}());
