import type { FastifyInstance } from 'fastify';
import type { ReviewService } from '../../apps/review/service.js';
import type { Config } from '../../config.js';
import { formSchema, formText, handleForm } from '../../web/forms.js';
import { sendPage } from '../../web/layout.js';
import { adminActor } from '../guard.js';
import { reviewPageView, reviewPath, reviewQueueView } from '../views/reviews.js';

const rejectForm = formSchema({ reason: formText });
const approveForm = formSchema({});

/** The review queue (`/admin/reviews`), one submission's page, and its Approve and Reject. */
export function adminReviewPages(
  admin: FastifyInstance,
  { config, reviews }: { config: Config; reviews: ReviewService },
) {
  admin.get('/admin/reviews', async (request, reply) => {
    const actor = adminActor(request);
    const [queue, decided] = await Promise.all([reviews.queue(actor), reviews.recentlyDecided(actor)]);
    return sendPage(request, reply, {
      title: 'Review queue',
      body: reviewQueueView({ queue, decided, flash: request.flash }),
    });
  });

  admin.get('/admin/reviews/:review', async (request, reply) => {
    const { review: id = '' } = request.params as { review?: string };
    const review = await reviews.get(adminActor(request), id);
    const body = reviewPageView({ review, registry: config.scopes, reply, flash: request.flash });
    return sendPage(request, reply, { title: `Review of ${review.app_name}`, body });
  });

  admin.post('/admin/reviews/:review/approve', async (request, reply) => {
    const { review: id = '' } = request.params as { review?: string };
    const actor = adminActor(request);
    const review = await reviews.get(actor, id);
    const form = { page: reviewPath(review.id), id: 'reject-form', schema: approveForm };
    return handleForm(request, reply, form, async () => {
      await reviews.approve(actor, review.id);
      return { to: '/admin/reviews', flash: { notice: `${review.app_name} was approved and is published.` } };
    });
  });

  admin.post('/admin/reviews/:review/reject', async (request, reply) => {
    const { review: id = '' } = request.params as { review?: string };
    const actor = adminActor(request);
    const review = await reviews.get(actor, id);
    const form = { page: reviewPath(review.id), id: 'reject-form', schema: rejectForm };
    return handleForm(request, reply, form, async ({ reason }) => {
      await reviews.reject(actor, review.id, { reason });
      return {
        to: '/admin/reviews',
        flash: { notice: `${review.app_name} was rejected; the developer sees the reason.` },
      };
    });
  });
}
