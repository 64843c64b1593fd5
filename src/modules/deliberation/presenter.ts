/** Deliberation answers: a post envelope always holds the post its route looked up. */
import { AppError } from "../../core/errors.ts";

export function presentPost<P>({ post }: { post: P | undefined }): { post: P } {
  // The service found the post before presenting it; a missing one here means it vanished in between.
  if (!post) throw new AppError("not_found", "no such post", "postId");
  return { post };
}
