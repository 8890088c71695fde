import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '../auth/current-principal';
import { AccessReviewService, type AccessReviewDto } from './access-review.service';
import { IdentityService } from './identity.service';
import {
  identityMe,
  type IdentityMeDto,
  type IdentityMappingCreateBody,
  type IdentityMappingDto,
  type IdentityMappingUpdateBody,
  type ServicePrincipalCreateBody,
  type ServicePrincipalDto,
  type ServicePrincipalUpdateBody,
} from './identity.dto';

type List<T> = { items: T[]; total: number; limit: number; offset: number };

@Controller('api/v1/identity')
export class IdentityController {
  constructor(@Inject(AccessReviewService) private readonly review: AccessReviewService) {}

  @Get('me')
  me(@Ctx() ctx: RequestContext): IdentityMeDto {
    return identityMe(ctx.principal);
  }

  @Get('access-review')
  accessReview(@Ctx() ctx: RequestContext): Promise<AccessReviewDto> {
    return this.review.review(ctx);
  }
}

@Controller('api/v1/service-principals')
export class ServicePrincipalsController {
  constructor(@Inject(IdentityService) private readonly identity: IdentityService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Record<string, unknown>): Promise<List<ServicePrincipalDto>> {
    return this.identity.listServicePrincipals(ctx, q);
  }

  @Post()
  @HttpCode(201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: ServicePrincipalCreateBody,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServicePrincipalDto> {
    const { resource, replayed } = await this.identity.createServicePrincipal(ctx, body, key);
    if (replayed) void reply.status(200);
    return resource;
  }

  @Get(':service_principal_id')
  get(@Ctx() ctx: RequestContext, @Param('service_principal_id') id: string): Promise<ServicePrincipalDto> {
    return this.identity.getServicePrincipal(ctx, id);
  }

  @Put(':service_principal_id')
  update(
    @Ctx() ctx: RequestContext,
    @Param('service_principal_id') id: string,
    @Body() body: ServicePrincipalUpdateBody,
  ): Promise<ServicePrincipalDto> {
    return this.identity.updateServicePrincipal(ctx, id, body);
  }
}

@Controller('api/v1/identity-mappings')
export class IdentityMappingsController {
  constructor(@Inject(IdentityService) private readonly identity: IdentityService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Record<string, unknown>): Promise<List<IdentityMappingDto>> {
    return this.identity.listIdentityMappings(ctx, q);
  }

  @Post()
  @HttpCode(201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: IdentityMappingCreateBody,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IdentityMappingDto> {
    const { resource, replayed } = await this.identity.createIdentityMapping(ctx, body, key);
    if (replayed) void reply.status(200);
    return resource;
  }

  @Get(':identity_mapping_id')
  get(@Ctx() ctx: RequestContext, @Param('identity_mapping_id') id: string): Promise<IdentityMappingDto> {
    return this.identity.getIdentityMapping(ctx, id);
  }

  @Put(':identity_mapping_id')
  update(
    @Ctx() ctx: RequestContext,
    @Param('identity_mapping_id') id: string,
    @Body() body: IdentityMappingUpdateBody,
  ): Promise<IdentityMappingDto> {
    return this.identity.updateIdentityMapping(ctx, id, body);
  }
}
