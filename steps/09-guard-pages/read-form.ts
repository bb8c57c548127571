// Stage: the form's fields (application/x-www-form-urlencoded), into ctx.request.body. Small:
// a note is 500 characters at most, and a form that is not one is read as no fields.
import bodyParser from 'koa-bodyparser';

export const readForm = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
