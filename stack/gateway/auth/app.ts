// The auth service's routes (mounted by the gateway at /auth/v1), in the order
// GoTrue's router lists them. Every response carries CORS headers; every error is
// rendered in the format the request's X-Supabase-Api-Version asks for.
import { Hono, type Context } from 'hono';
import { API_VERSION_HEADER, renderError } from './errors.ts';
import {
  inviteHandler,
  magicLinkHandler,
  otpHandler,
  recoverHandler,
  resendHandler,
  signupHandler,
} from './handlers/account.ts';
import {
  createUserHandler,
  deleteUserHandler,
  generateLinkHandler,
  getUserByIdHandler,
  listUsersHandler,
  updateUserByIdHandler,
} from './handlers/admin.ts';
import { logoutHandler, tokenHandler } from './handlers/token.ts';
import { getUserHandler, reauthenticateHandler, updateUserHandler } from './handlers/user.ts';
import { verifyGetHandler, verifyPostHandler } from './handlers/verify.ts';
import type { AuthService } from './http.ts';

const EXPOSED_HEADERS = ['X-Total-Count', 'Link', API_VERSION_HEADER, 'x-sb-error-code', 'Retry-After'].join(', ');

type Handler = (c: Context, service: AuthService) => Promise<Response>;

export function authRoutes(service: AuthService): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('access-control-allow-origin', '*');
    c.res.headers.set('access-control-expose-headers', EXPOSED_HEADERS);
  });

  const handle = (handler: Handler) => async (c: Context) => {
    try {
      return await handler(c, service);
    } catch (error) {
      const rendered = renderError(error, c.req.header(API_VERSION_HEADER));
      return c.json(rendered.body, rendered.status as 400, rendered.headers);
    }
  };

  app.get('/health', (c) =>
    c.json({ version: 'local-stack', name: 'GoTrue', description: 'GoTrue-compatible auth service of the local stack (stack/gateway/auth)' }),
  );
  app.get('/.well-known/jwks.json', (c) => c.json({ keys: [] }));
  app.get('/settings', (c) => {
    const { settings } = service;
    return c.json({
      external: {
        anonymous_users: false,
        apple: false,
        azure: false,
        bitbucket: false,
        discord: false,
        facebook: false,
        figma: false,
        github: false,
        gitlab: false,
        google: false,
        keycloak: false,
        linkedin_oidc: false,
        notion: false,
        slack_oidc: false,
        spotify: false,
        twitch: false,
        twitter: false,
        workos: false,
        zoom: false,
        email: settings.emailProviderEnabled,
        phone: false,
      },
      disable_signup: !settings.enableSignup,
      mailer_autoconfirm: !settings.enableConfirmations,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
      passkeys_enabled: false,
    });
  });

  app.post('/signup', handle(signupHandler));
  app.post('/token', handle(tokenHandler));
  app.post('/logout', handle(logoutHandler));
  app.get('/user', handle(getUserHandler));
  app.put('/user', handle(updateUserHandler));
  app.get('/reauthenticate', handle(reauthenticateHandler));
  app.post('/recover', handle(recoverHandler));
  app.post('/otp', handle(otpHandler));
  app.post('/magiclink', handle(magicLinkHandler));
  app.post('/resend', handle(resendHandler));
  app.get('/verify', handle(verifyGetHandler));
  app.post('/verify', handle(verifyPostHandler));
  app.post('/invite', handle(inviteHandler));

  app.get('/admin/users', handle(listUsersHandler));
  app.post('/admin/users', handle(createUserHandler));
  app.get('/admin/users/:id', handle(getUserByIdHandler));
  app.put('/admin/users/:id', handle(updateUserByIdHandler));
  app.delete('/admin/users/:id', handle(deleteUserHandler));
  app.post('/admin/generate_link', handle(generateLinkHandler));

  return app;
}
