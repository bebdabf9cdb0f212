import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The tab icon: the brand colour with a white handshake-like mark of two joined bars, as SVG (no binary asset to ship). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" role="img" aria-label="IOP-motorn">
<rect width="32" height="32" rx="6" fill="#00466e"/>
<path d="M7 11h7v10H7zM18 11h7v10h-7z" fill="#fff"/>
<path d="M12 15h8v2h-8z" fill="#ffbf47"/>
</svg>
`;

/** Static files beside /assets/iop.css: the favicon (also at /favicon.ico, where browsers look without a link). */
@ApiExcludeController()
@Controller()
export class FaviconController {
  @Get('assets/favicon.svg')
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'public, max-age=86400')
  svg(): string {
    return FAVICON_SVG;
  }

  @Get('favicon.ico')
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'public, max-age=86400')
  ico(): string {
    return FAVICON_SVG;
  }
}
