import { useState } from "preact/hooks";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";

interface Props {
  prefix: string;
  titleLabel: string;
  textLabel: string;
  submitLabel: string;
  limit: number;
  send: (body: { title: string; text: string }) => Promise<unknown>;
  onDone: () => void;
}

/** A title and a text: used for demands and minority reports. */
export function WritingForm({ prefix, titleLabel, textLabel, submitLabel, limit, send, onDone }: Props) {
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const titleField = `${prefix}.title`;
  const textField = `${prefix}.text`;
  const submission = useSubmission([titleField, textField]);
  const submit = (event: Event) => {
    event.preventDefault();
    const checks = checkFields([
      { field: titleField, value: title, required: true, max: 300 },
      { field: textField, value: text, required: true, max: limit },
    ]);
    void submission.run(async () => {
      await send({ title: title.trim(), text: text.trim() });
      setTitle("");
      setText("");
      onDone();
    }, checks);
  };
  return (
    <form class="stack" noValidate onSubmit={submit}>
      <TextField field={titleField} label={titleLabel} value={title} onInput={setTitle} required error={submission.fieldErrors[titleField]} />
      <TextField field={textField} label={textLabel} value={text} onInput={setText} multiline required max={limit} error={submission.fieldErrors[textField]} />
      <FormStatus error={submission.formError} />
      <SubmitButton pending={submission.pending} label={submitLabel} />
    </form>
  );
}
