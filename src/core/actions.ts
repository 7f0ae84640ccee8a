/**
 * The ids of the actions a person can take by pressing (a button, a card action, a menu, a slash command):
 * part of the contract between the core and the channels, which carry them back in `Turn.action`.
 */

/** Stable action ids of the application form, shared by card builders and handlers. */
export const INTAKE_ACTIONS = {
  start: 'apply',
  choose: 'choose',
  done: 'pick_done',
  skip: 'skip',
  back: 'back',
  review: 'review',
  submit: 'submit',
  edit: 'edit',
  cancel: 'cancel',
  yes: 'confirm_yes',
  no: 'confirm_no',
  /** "This is my answer": a text that read as a question is the answer after all; value = `<field>=<text>`. */
  answer: 'form_answer',
  /** "It was a question": not an answer to the field; value = the field. */
  question: 'form_question',
  /** Show the draft's progress and the submitted applications (slash command `status`). */
  status: 'status',
} as const;

/** Stable action ids of the FAQ part of the bot. */
export const FAQ_ACTIONS = {
  /** Show one FAQ entry; value = entry id. */
  topic: 'faq',
  /** Show the menu of topics (the help). */
  menu: 'menu',
  /** Switch the conversation's language; value = language code (en, fr, …). */
  language: 'language',
} as const;

/** Stable action ids of the commission's card, shared by the card builder and the handler; value = application id. */
export const ENDORSE_ACTIONS = {
  endorse: 'endorse',
  return: 'return',
  decline: 'decline',
  /** The applicant reopens a returned application to edit and resubmit it; value = application id. */
  reopen: 'reopen',
} as const;
