import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { formatDate } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { Post, Thread } from "../lib/types.ts";

/** The evaluation's discussion: posts and one level of replies, newest last. */
export function Threads({ evaluationId, limit, canWrite }: { evaluationId: string; limit: number; canWrite: boolean }) {
  const thread = useLoad(() => api.get<Thread>(evaluationPath(evaluationId, "/posts?targetKind=evaluation")), [evaluationId]);
  const [replyTo, setReplyTo] = useState<string | null>(null);
  return (
    <section aria-labelledby="threads-heading">
      <h2 id="threads-heading">{t("deliberate.discussion")}</h2>
      <Async state={thread}>
        {({ posts }) => {
          const roots = posts.filter((p) => !p.parentId);
          return roots.length === 0 ? (
            <p>{t("deliberate.noPosts")}</p>
          ) : (
            <ul class="plain-list">
              {roots.map((post) => (
                <li key={post.id} class="card">
                  <PostBody post={post} />
                  <ul class="plain-list replies">
                    {posts
                      .filter((p) => p.parentId === post.id)
                      .map((reply) => (
                        <li key={reply.id} class="card">
                          <PostBody post={reply} />
                        </li>
                      ))}
                  </ul>
                  {canWrite && replyTo === post.id ? (
                    <PostForm evaluationId={evaluationId} limit={limit} parentId={post.id} onDone={() => { setReplyTo(null); thread.reload(); }} />
                  ) : canWrite ? (
                    <button type="button" class="link-button" onClick={() => setReplyTo(post.id)}>
                      {t("deliberate.reply")}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          );
        }}
      </Async>
      {canWrite ? <PostForm evaluationId={evaluationId} limit={limit} onDone={thread.reload} /> : null}
    </section>
  );
}

function PostBody({ post }: { post: Post }) {
  return (
    <>
      <p class="muted">
        {post.author.pseudonym ?? t(`deliberate.roles.${post.author.role === "organiser" ? "organiser" : "participant"}`)} · {formatDate(post.createdAt)}
      </p>
      <p dir="auto">{post.text ?? t("deliberate.hiddenPost")}</p>
    </>
  );
}

function PostForm({ evaluationId, limit, parentId, onDone }: { evaluationId: string; limit: number; parentId?: string; onDone: () => void }) {
  const [text, setText] = useState("");
  const field = parentId ? `reply-${parentId}` : "post";
  const submission = useSubmission([field]);
  const submit = (event: Event) => {
    event.preventDefault();
    void submission.run(async () => {
      if (parentId) await api.post(evaluationPath(evaluationId, `/posts/${parentId}/replies`), { text: text.trim() });
      else await api.post(evaluationPath(evaluationId, "/posts"), { targetKind: "evaluation", text: text.trim() });
      setText("");
      onDone();
    }, checkFields([{ field, value: text, required: true, max: limit }]));
  };
  return (
    <form class="stack" noValidate onSubmit={submit}>
      <TextField field={field} label={parentId ? t("deliberate.yourReply") : t("deliberate.newPost")} value={text} onInput={setText} multiline required max={limit} error={submission.fieldErrors[field]} />
      <FormStatus error={submission.formError} />
      <SubmitButton pending={submission.pending} label={parentId ? t("deliberate.sendReply") : t("deliberate.sendPost")} />
    </form>
  );
}
