// Playwright helpers that drive the VS Code workbench as a person does: keyboard,
// mouse, what is on the screen. Selectors are those of VS Code 1.100's DOM.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS } from './paths.mjs';

export const SEL = {
  workbench: '.monaco-workbench',
  dialog: '.monaco-dialog-box',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  editor: '.editor-instance .monaco-editor',
  activeTab: '.tabs-container .tab.active',
  squiggleError: '.monaco-editor .squiggly-error',
  squiggleWarning: '.monaco-editor .squiggly-warning',
  hover: '.monaco-hover:not(.hidden)',
  actionWidget: '.action-widget',
  actionRow: '.action-widget .monaco-list-row.action',
  problemsStatus: '[id="status.problems"]',
  notification: '.notifications-toasts .notification-toast',
  markersPanel: '.markers-panel',
  /** The extension's status bar item (id: <extension id>.<item id>). */
  kztStatus: '[id="kube-zero-trust.kube-zero-trust.kubeZeroTrust.status"]',
  selectionStatus: '[id="status.editor.selection"]',
  /** The header of a side bar view pane by its title, e.g. paneHeader('Zero Trust'); 'Explorer' is the folder's. */
  paneHeader: (title) => `.pane-header[aria-label^="${title} Section"]`,
  webview: 'iframe.webview.ready',
};

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The workspace-trust dialog: a person reads it and trusts the folder they opened. */
export async function trustWorkspace(page) {
  const dialog = page.locator(SEL.dialog);
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Yes, I trust the authors' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Ctrl+P, type the file name, Enter; resolves when its editor tab is active. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await page.locator(SEL.quickInputBox).waitFor({ state: 'visible' });
  await page.keyboard.type(name);
  // Enter opens the focused row: wait until the list has caught up with the typed name.
  await page.locator(`${SEL.quickInputRow}.focused`, { hasText: name }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator(SEL.activeTab, { hasText: name }).waitFor({ state: 'visible' });
  await page.locator(SEL.editor).first().waitFor({ state: 'visible' });
}

/** F1, type the command's title, Enter. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.locator(SEL.quickInputBox).waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await page.locator(`${SEL.quickInputRow}.focused`, { hasText: title }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator(SEL.quickInput).waitFor({ state: 'hidden' });
}

/** The Problems item of the status bar, e.g. { errors: 1, warnings: 2, infos: 1 }. */
export async function problemCounts(page) {
  const label = (await page.locator(SEL.problemsStatus).getAttribute('aria-label')) ?? '';
  if (/No Problems/i.test(label)) return { errors: 0, warnings: 0, infos: 0, label };
  const errors = Number(/Errors?: (\d+)/i.exec(label)?.[1] ?? 0);
  const warnings = Number(/Warnings?: (\d+)/i.exec(label)?.[1] ?? 0);
  const infos = Number(/Infos?: (\d+)/i.exec(label)?.[1] ?? 0);
  return { errors, warnings, infos, label };
}

/** Waits until the status bar's Problems item satisfies `predicate`. */
export async function waitForProblemCounts(page, predicate, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  // The item re-renders on every marker change; wait on DOM mutations of it.
  await page.waitForFunction(
    () => !!document.querySelector('[id="status.problems"]'),
    undefined,
    { timeout },
  );
  for (;;) {
    const counts = await problemCounts(page);
    if (predicate(counts)) return counts;
    if (Date.now() > deadline) throw new Error(`status bar Problems never matched; last: ${counts.label}`);
    await page
      .waitForFunction(
        (before) => document.querySelector('[id="status.problems"]')?.getAttribute('aria-label') !== before,
        counts.label,
        { timeout: Math.max(1, deadline - Date.now()) },
      )
      .catch(() => {});
  }
}

/** Center of the first element matching the selector, in page coordinates. */
export async function center(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} has no box`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Resolves when the element's CSS animations (fade-ins) have finished, for clean screenshots. */
export async function animationsDone(locator) {
  await locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
}

/** A side bar view pane, expanded; the others named in `collapse` are collapsed to make room. */
export async function expandPane(page, title, collapse = []) {
  for (const other of collapse) {
    const header = page.locator(SEL.paneHeader(other));
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    await page.locator(`${SEL.paneHeader(other)}[aria-expanded="false"]`).waitFor();
  }
  const header = page.locator(SEL.paneHeader(title));
  await header.waitFor({ state: 'visible' });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  await page.locator(`${SEL.paneHeader(title)}[aria-expanded="true"]`).waitFor();
  return page.locator('.pane', { has: header });
}

/**
 * The document inside the webview editor that is showing: the workbench hosts each webview
 * in an iframe whose own iframe holds the extension's HTML.
 */
export function webviewFrame(page) {
  return page.frameLocator(SEL.webview).last().frameLocator('iframe').first();
}

/** Clicks the close button of the active editor tab and waits for the tab to go. */
export async function closeActiveEditor(page) {
  const tab = page.locator(SEL.activeTab);
  const label = await tab.getAttribute('aria-label');
  await tab.locator('.codicon-close').click();
  await page.locator(`.tabs-container .tab[aria-label="${label}"]`).waitFor({ state: 'detached' });
}

/** Drags the side bar's edge so that it is `width` pixels wide (long tree labels fit). */
export async function resizeSideBar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the side bar is not visible');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((w) => Math.abs(document.querySelector('.part.sidebar').getBoundingClientRect().width - w) < 8, width);
}

/** In the open Ctrl+. menu, moves the focus to the row titled `title` with the arrow keys and presses Enter. */
export async function chooseAction(page, title) {
  const row = page.locator(SEL.actionRow, { hasText: title });
  await row.waitFor({ state: 'visible' });
  const count = await page.locator(SEL.actionRow).count();
  const focused = page.locator(`${SEL.actionRow}.focused`);
  for (let i = 0; i <= count && !(await focused.innerText()).includes(title); i++) await page.keyboard.press('ArrowDown');
  if (!(await focused.innerText()).includes(title)) throw new Error(`no action "${title}" in the menu`);
  await page.keyboard.press('Enter');
  await page.locator(SEL.actionWidget).waitFor({ state: 'hidden' });
}
