import { Controller, Get } from '@nestjs/common';
import { Ctx, type RequestContext } from '../auth/current-principal';

export type IdentityMeDto = {
  principal_type: 'user' | 'service_principal';
  subject: string;
  issuer: string;
  username: string | null;
  email: string | null;
  display_name: string | null;
  client_id: string | null;
  groups: string[];
};

@Controller('api/v1/identity')
export class IdentityController {
  /** The caller as the API sees it: a sanitized principal, never the token or its raw claims. */
  @Get('me')
  me(@Ctx() ctx: RequestContext): IdentityMeDto {
    const p = ctx.principal;
    return {
      principal_type: p.kind === 'service' ? 'service_principal' : 'user',
      subject: p.subject,
      issuer: p.issuer,
      username: p.username ?? null,
      email: p.email ?? null,
      display_name: p.name ?? null,
      client_id: p.clientId ?? null,
      groups: [...p.groups],
    };
  }
}
